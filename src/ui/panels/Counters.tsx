// Placeholder: the cost-counter table replaces this.
import type { CountersProps } from '../contracts'

export function Counters({ state }: CountersProps) {
  const total = state.threads.reduce((sum, t) => sum + t.counters.cycles, 0)
  return <p>Model cycles: {total}</p>
}
