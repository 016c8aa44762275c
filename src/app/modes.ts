// The runtimes a scenario can be run under (the scenario language's `mode:` header).

export const MODE_OPTIONS = [
  { value: 'free-threaded', label: 'free-threaded (PEP 703)' },
  { value: 'gil', label: 'gil (classic CPython)' },
  { value: 'atomic', label: 'atomic (no GIL, atomic refcounts)' },
  { value: 'unsafe', label: 'unsafe (no GIL, plain refcounts)' },
] as const

export type ModeName = (typeof MODE_OPTIONS)[number]['value']

export function isModeName(value: string): value is ModeName {
  return MODE_OPTIONS.some((option) => option.value === value)
}
