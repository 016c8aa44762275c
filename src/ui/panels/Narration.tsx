// Placeholder: the narration live region replaces this.
import type { NarrationProps } from '../contracts'

export function Narration({ trace, position }: NarrationProps) {
  const step = position > 0 ? trace.steps[position - 1] : undefined
  return (
    <p aria-live="polite" className="narration">
      {step ? step.narration : 'The scenario has not started yet.'}
    </p>
  )
}
