// Placeholder: pseudo-C of the CPython function behind the current micro-step replaces this.
import type { CodePanelProps } from '../contracts'

export function CodePanel({ step }: CodePanelProps) {
  return <section aria-label="The code that runs">{step ? <code>{step.cpython}</code> : <p>Initial state</p>}</section>
}
