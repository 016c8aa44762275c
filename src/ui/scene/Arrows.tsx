// References as arrows: a thread's variables and C references to their objects (counted ones
// solid, deferred-tagged ones dashed with an open head), and containers to their items. Memoised
// per thread and per object on the records' reference lists.

import { memo } from 'react'
import type { Slot, Variable } from '../../engine'
import { rowRect, roundedPath, slotArrowPoints, varArrowPoints, type CardGeometry, type LaneLayout, type Rect } from './layout'
import { THREAD_COLOURS, threadClass } from './palette'

/** Marker ids of one scene (unique per instance, so two scenes can share a page). */
export function markerId(uid: string, kind: 'fill' | 'open' | 'slot', thread = -1): string {
  return kind === 'slot' ? `${uid}-ms` : `${uid}-m${kind === 'open' ? 'o' : 'f'}${thread < 0 ? 'n' : thread % THREAD_COLOURS}`
}

export function ArrowMarkers({ uid }: { readonly uid: string }) {
  const threads = Array.from({ length: THREAD_COLOURS }, (_, i) => i)
  const marker = (id: string, cls: string, extra: string, open: boolean) => (
    <marker key={id} id={id} className={extra} viewBox="0 0 10 10" refX={9} refY={5} markerWidth={7} markerHeight={7} orient="auto-start-reverse">
      <path className={cls} d={open ? 'M1,1 L9,5 L1,9 Z' : 'M0,0 L10,5 L0,10 Z'} />
    </marker>
  )
  return (
    <>
      {threads.map((t) => marker(markerId(uid, 'fill', t), 'marker-fill', threadClass(t), false))}
      {threads.map((t) => marker(markerId(uid, 'open', t), 'marker-open', threadClass(t), true))}
      {marker(markerId(uid, 'slot'), 'marker-slot', '', false)}
    </>
  )
}

export interface VarArrowsProps {
  readonly uid: string
  readonly thread: number
  readonly vars: readonly Variable[]
  readonly cRefs: readonly number[]
  readonly lane: LaneLayout
  readonly cards: readonly (Rect | null)[]
}

function VarArrowsImpl({ uid, thread, vars, cRefs, lane, cards }: VarArrowsProps) {
  const refs = [...vars.map((v) => ({ obj: v.obj, tagged: v.deferred, name: v.name })), ...cRefs.map((obj) => ({ obj, tagged: false, name: 'C ref' }))]
  return (
    <g className={threadClass(thread)} aria-hidden="true">
      {refs.map((r, i) => {
        const chip = lane.vars[i]
        const card = cards[r.obj]
        if (!chip || !card) return null
        return (
          <path
            key={`${r.name}:${i}`}
            className={`arrow${r.tagged ? ' arrow-tagged' : ''}`}
            data-ref={r.tagged ? 'tagged' : 'counted'}
            d={roundedPath(varArrowPoints(lane.busX, chip, card, i, thread))}
            markerEnd={`url(#${markerId(uid, r.tagged ? 'open' : 'fill', thread)})`}
          />
        )
      })}
    </g>
  )
}

export const VarArrows = memo(VarArrowsImpl)

export interface SlotArrowsProps {
  readonly uid: string
  readonly obj: number
  readonly slots: readonly Slot[]
  readonly cards: readonly (Rect | null)[]
  readonly geo: CardGeometry
}

function SlotArrowsImpl({ uid, obj, slots, cards, geo }: SlotArrowsProps) {
  const card = cards[obj]
  if (!card || slots.length === 0) return null
  const from = rowRect(card, geo, 'items')
  const sy = from.y + from.h / 2
  return (
    <g aria-hidden="true">
      {slots.map((s, i) => {
        const to = cards[s.obj]
        if (!to) return null
        const d = roundedPath(slotArrowPoints(card, sy, to, i))
        return <path key={i} className="arrow arrow-slot" data-ref="slot" d={d} markerEnd={`url(#${markerId(uid, 'slot')})`} />
      })}
    </g>
  )
}

export const SlotArrows = memo(SlotArrowsImpl)
