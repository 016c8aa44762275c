// Notable steps for the timeline: where an object is queued for its owner, where counts are
// merged, where memory is freed, where a thread waits on a lock, and a deadlock at the end.
// Derived from the engine's micro-step kinds only; nothing here inspects counts.

import type { Trace } from '../../engine'

export type MarkerKind = 'queue' | 'merge' | 'free' | 'contention' | 'deadlock'

export const MARKER_KINDS: readonly MarkerKind[] = ['queue', 'merge', 'free', 'contention', 'deadlock']

const KIND_OF_OP: Readonly<Record<string, MarkerKind>> = {
  'decref.queue': 'queue',
  'brc.queue': 'queue',
  'brc.merge': 'merge',
  'gc.merge-queued': 'merge',
  'merge.zero': 'merge',
  dealloc: 'free',
  'gc.free': 'free',
  'cs.park': 'contention',
  'mutex.park': 'contention',
}

/** How a marker kind is named (in labels and the legend) and drawn (a glyph as well as a colour). */
export const MARKER_INFO: Readonly<Record<MarkerKind, { readonly name: string; readonly glyph: string }>> = {
  queue: { name: 'queued', glyph: '⇢' },
  merge: { name: 'merge', glyph: '⊕' },
  free: { name: 'free', glyph: '✕' },
  contention: { name: 'lock wait', glyph: '⏸' },
  deadlock: { name: 'deadlock', glyph: '⛔' },
}

export interface Marker {
  readonly kind: MarkerKind
  /** The position showing the state right after the notable step. */
  readonly position: number
  /** How many notable steps of this kind the marker stands for (markers close together merge). */
  readonly count: number
  /** Short accessible name, e.g. "free at step 14 (T1)". */
  readonly label: string
  /** The engine's narration of the (first) step. */
  readonly detail: string
}

export function markerKindOf(op: string): MarkerKind | null {
  return KIND_OF_OP[op] ?? null
}

/** Every notable step of `trace`, in order. */
export function findMarkers(trace: Trace): Marker[] {
  const threadName = (i: number) => trace.initial.threads[i]?.name ?? `thread ${i}`
  const out: Marker[] = []
  for (const step of trace.steps) {
    const kind = markerKindOf(step.op)
    if (kind === null) continue
    const position = step.index + 1
    out.push({
      kind,
      position,
      count: 1,
      label: `${MARKER_INFO[kind].name} at step ${position} (${threadName(step.thread)})`,
      detail: step.narration,
    })
  }
  if (trace.outcome.kind === 'deadlock') {
    out.push({
      kind: 'deadlock',
      position: trace.length,
      count: 1,
      label: `deadlock at step ${trace.length}`,
      detail: trace.outcome.message,
    })
  }
  return out
}

/**
 * Merges markers of one kind that lie within `gap` positions of the previous one, so a long
 * trace keeps a readable timeline (and a short tab order): at most about `maxMarkers`.
 */
export function clusterMarkers(markers: readonly Marker[], last: number, maxMarkers = 48): Marker[] {
  if (markers.length <= maxMarkers) return markers.slice()
  let gap = Math.max(1, Math.ceil(last / maxMarkers))
  for (;;) {
    const clustered = clusterWithin(markers, gap)
    if (clustered.length <= maxMarkers || gap >= last) return clustered
    gap *= 2
  }
}

function clusterWithin(markers: readonly Marker[], gap: number): Marker[] {
  const open = new Map<MarkerKind, { start: Marker; count: number; end: number }>()
  const out: { start: Marker; count: number; end: number }[] = []
  for (const m of markers) {
    const current = open.get(m.kind)
    if (current && m.position - current.end <= gap) {
      current.count += m.count
      current.end = m.position
      continue
    }
    const next = { start: m, count: m.count, end: m.position }
    open.set(m.kind, next)
    out.push(next)
  }
  return out.map(({ start, count, end }) =>
    count === 1
      ? start
      : {
          ...start,
          count,
          label: `${count} × ${MARKER_INFO[start.kind].name}, steps ${start.position}–${end}`,
        },
  )
}

/** The first marker after `position` (or before it, going back), or null. */
export function adjacentMarker(markers: readonly Marker[], position: number, direction: 1 | -1): Marker | null {
  if (direction === 1) return markers.find((m) => m.position > position) ?? null
  for (let i = markers.length - 1; i >= 0; i--) if (markers[i]!.position < position) return markers[i]!
  return null
}
