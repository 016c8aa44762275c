// Small text helpers shared by the player's parts.

import type { Mode } from '../../engine'

export const MODE_LABELS: Readonly<Record<Mode, { readonly short: string; readonly long: string }>> = {
  'free-threaded': { short: 'free-threaded', long: 'free-threaded (PEP 703: biased, deferred refcounts)' },
  gil: { short: 'gil', long: 'gil (classic CPython: one thread at a time)' },
  atomic: { short: 'atomic', long: 'atomic (no GIL, every refcount change atomic)' },
  unsafe: { short: 'unsafe', long: 'unsafe (no GIL, plain refcount writes: races)' },
}

/** "Step 12 of 48", with "initial state" / "end" at the two ends. */
export function stepStatus(position: number, last: number): string {
  const base = `Step ${position} of ${last}`
  if (position === 0) return `${base} · initial state`
  if (position === last) return `${base} · end`
  return base
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

export function speedLabel(speed: number): string {
  return `${speed}×`
}
