// What the browser remembers about the course: each story's progress (not started, in progress,
// done) and the "Skip predictions" choice. localStorage; a browser without it (private mode, a
// sandboxed iframe) simply forgets at the end of the visit.

export type Progress = 'not-started' | 'in-progress' | 'done'

export const PROGRESS_KEY = 'pep703-explorer:course-progress'
export const SKIP_PREDICTIONS_KEY = 'pep703-explorer:skip-predictions'

export const PROGRESS_LABELS: Record<Progress, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
}

function read(key: string): unknown {
  try {
    const raw = window.localStorage.getItem(key)
    return raw === null ? null : (JSON.parse(raw) as unknown)
  } catch {
    return null
  }
}

function write(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage unavailable: remembered for this visit only.
  }
}

/** Every story's progress that is not "not started", by story id. */
export function readProgress(): Record<string, Progress> {
  const value = read(PROGRESS_KEY)
  if (typeof value !== 'object' || value === null) return {}
  const out: Record<string, Progress> = {}
  for (const [id, p] of Object.entries(value as Record<string, unknown>)) {
    if (p === 'in-progress' || p === 'done') out[id] = p
  }
  return out
}

export function progressOf(id: string): Progress {
  return readProgress()[id] ?? 'not-started'
}

/** Records progress; never moves a story back from done to in progress. */
export function markProgress(id: string, progress: Exclude<Progress, 'not-started'>): void {
  const all = readProgress()
  if (all[id] === progress || (all[id] === 'done' && progress === 'in-progress')) return
  write(PROGRESS_KEY, { ...all, [id]: progress })
}

export function resetProgress(): void {
  write(PROGRESS_KEY, {})
}

export function readSkipPredictions(): boolean {
  return read(SKIP_PREDICTIONS_KEY) === true
}

export function writeSkipPredictions(skip: boolean): void {
  write(SKIP_PREDICTIONS_KEY, skip)
}
