// A thread's lane header: name and tid, status, (gil) the GIL, (unsafe) its register, frame
// variables and C references, the critical-section stack, direct PyMutex locks, the BRC merge
// queue and its heap pages. Colour marks the thread, text always says the same thing.

import { memo } from 'react'
import { PAGE_BLOCKS, hex, type Mode, type PageState, type ThreadState } from '../../engine'
import { clip, sectionState, sectionText, varText, type Names } from './format'
import { has } from './highlights'
import type { LaneLayout, PageLayout, Rect } from './layout'
import { fits } from './ObjectCard'
import { threadClass } from './palette'

export interface ThreadLaneProps {
  readonly t: ThreadState
  readonly lane: LaneLayout
  readonly mode: Mode
  readonly names: Names
  /** Status in words (computed from the world: which lock, who holds it). */
  readonly statusText: string
  readonly summary: string
  readonly holdsGil: boolean
  /** Lane parts changed by the current step, comma-joined. */
  readonly changed: string
}

function Changed({ r, on }: { readonly r: Rect; readonly on: boolean }) {
  if (!on) return null
  return <rect className="part-changed" x={r.x - 3} y={r.y - 2} width={r.w + 6} height={r.h + 4} rx={4} />
}

/** The GIL as a badge. */
export function GilBadge({ r, thread }: { readonly r: Rect; readonly thread: number }) {
  return (
    <g className={`gil-badge ${threadClass(thread)}`} transform={`translate(${r.x},${r.y})`}>
      <rect width={r.w} height={r.h} rx={r.h / 2} />
      <text x={r.w / 2} y={r.h / 2 + 1} textAnchor="middle">
        GIL
      </text>
    </g>
  )
}

/** A small padlock, drawn (no emoji: fonts differ between machines). */
export function Padlock({ x, y, size = 10 }: { readonly x: number; readonly y: number; readonly size?: number }) {
  const s = size / 10
  return (
    <path
      transform={`translate(${x},${y}) scale(${s})`}
      d="M-5,-1 h10 v8 h-10 z M-3,-1 v-3 a3,3 0 0 1 6,0 v3 h-1.6 v-3 a1.4,1.4 0 0 0 -2.8,0 v3 z"
    />
  )
}

function ThreadLaneImpl({ t, lane, mode, names, statusText, summary, holdsGil, changed }: ThreadLaneProps) {
  const tc = threadClass(t.index)
  const waiting = t.status === 'blocked' || t.status === 'detached'
  const vars = [
    ...t.vars.map((v) => ({ key: `v:${v.name}`, mark: `var:${v.name}`, text: varText(v.name, v.obj, v.deferred, names), kind: v.deferred ? 'tagged' : 'counted' })),
    ...t.cRefs.map((obj, i) => ({ key: `c:${i}`, mark: `cref:${i}`, text: `C ref → ${names.objects[obj] ?? '?'}`, kind: 'cref' })),
  ]
  return (
    <g className={`lane ${tc}${t.status === 'exited' ? ' lane-exited' : ''}`} role="group" aria-label={summary} data-thread={t.name}>
      <rect className="lane-bg" x={lane.rect.x} y={lane.rect.y} width={lane.rect.w} height={lane.rect.h} />
      <rect className="lane-bar" x={lane.rect.x} y={lane.rect.y} width={5} height={lane.rect.h} />
      <g aria-hidden="true">
        <rect className="lane-header" x={lane.header.x} y={lane.header.y} width={lane.header.w} height={lane.header.h} rx={8} />
        <Changed r={lane.name} on={has(changed, 'name')} />
        <rect className="swatch" x={lane.name.x} y={lane.name.y + 4} width={14} height={14} rx={3} />
        <text className="lane-name" x={lane.name.x + 20} y={lane.name.y + 12}>
          {clip(t.name, 16)}
        </text>
        <text className="muted" x={lane.name.x + lane.name.w} y={lane.name.y + 12} textAnchor="end">
          {t.tid ? `tid ${hex(t.tid)}` : 'no tid yet'}
        </text>

        <g className={`status-${t.status}`}>
          <rect className="status-bg" x={lane.status.x} y={lane.status.y} width={lane.status.w} height={lane.status.h} rx={4} />
          <Changed r={lane.status} on={has(changed, 'status')} />
          <text x={lane.status.x + 6} y={lane.status.y + lane.status.h / 2 + 1}>
            {clip(statusText, fits(lane.status.w - (waiting ? 42 : 12)))}
          </text>
          {waiting && (
            <text className="zzz" x={lane.status.x + lane.status.w - 6} y={lane.status.y + lane.status.h / 2 + 1} textAnchor="end">
              zzz
            </text>
          )}
        </g>

        {lane.gil && (
          <>
            <rect className="slot-empty" x={lane.gil.x} y={lane.gil.y} width={lane.gil.w} height={lane.gil.h} rx={lane.gil.h / 2} />
            {holdsGil && <GilBadge r={lane.gil} thread={t.index} />}
            <text className="muted" x={lane.gil.x + lane.gil.w + 8} y={lane.gil.y + lane.gil.h / 2 + 1}>
              {holdsGil ? 'holds the GIL' : 'no GIL'}
            </text>
          </>
        )}

        {lane.register && (
          <>
            <Changed r={lane.register} on={has(changed, 'register')} />
            <rect className={t.register ? 'slot-bg' : 'slot-empty'} x={lane.register.x} y={lane.register.y} width={lane.register.w} height={lane.register.h} rx={3} />
            <text x={lane.register.x + 6} y={lane.register.y + lane.register.h / 2 + 1}>
              {t.register
                ? clip(`register: ${names.objects[t.register.obj] ?? '?'}.ob_refcnt read = ${t.register.value}`, fits(lane.register.w - 12))
                : 'register: empty'}
            </text>
          </>
        )}

        <text className="small-label" x={lane.varsLabel.x} y={lane.varsLabel.y}>
          frame: variables → objects
        </text>
        {vars.length === 0 && lane.vars[0] && (
          <text className="muted" x={lane.vars[0].x + 2} y={lane.vars[0].y + lane.vars[0].h / 2 + 1}>
            (none)
          </text>
        )}
        {vars.map((v, i) => {
          const r = lane.vars[i]
          if (!r) return null
          return (
            <g key={v.key} className={`chip chip-${v.kind}`} data-ref={v.kind}>
              <Changed r={r} on={has(changed, v.mark)} />
              <rect className="chip-bg" x={r.x} y={r.y} width={r.w} height={r.h} rx={r.h / 2} />
              <text x={r.x + 8} y={r.y + r.h / 2 + 1}>
                {clip(v.text, fits(r.w - 14))}
              </text>
            </g>
          )
        })}

        {lane.sectionsLabel && (
          <text className="small-label" x={lane.sectionsLabel.x} y={lane.sectionsLabel.y}>
            critical sections (top last) · locks
          </text>
        )}
        {lane.sectionsLabel && t.sections.length === 0 && t.directLocks.length === 0 && lane.sections[0] && (
          <text className="muted" x={lane.sections[0].x + 2} y={lane.sections[0].y + lane.sections[0].h / 2 + 1}>
            {mode === 'gil' ? '(none: the GIL serialises)' : '(none)'}
          </text>
        )}
        {t.sections.map((s, i) => {
          const r = lane.sections[i]
          if (!r) return null
          const st = sectionState(s)
          const top = i === t.sections.length - 1
          return (
            <g key={i} className={`section section-${st}`} data-section={st}>
              <Changed r={r} on={has(changed, 'sections')} />
              <rect className="slot-bg" x={r.x} y={r.y} width={r.w} height={r.h} rx={3} />
              {st === 'active' && (
                <g className="lock-icon">
                  <Padlock x={r.x + 10} y={r.y + r.h / 2 - 1} />
                </g>
              )}
              <text x={r.x + 20} y={r.y + r.h / 2 + 1}>
                {clip(`${sectionText(s, names)}${top && t.sections.length > 1 ? ' (top)' : ''}`, fits(r.w - 26))}
              </text>
            </g>
          )
        })}
        {t.directLocks.map((obj, i) => {
          const r = lane.locks[i]
          if (!r) return null
          return (
            <g key={`l${i}`} className="section section-active" data-lock={names.objects[obj]}>
              <Changed r={r} on={has(changed, 'locks')} />
              <rect className="slot-bg" x={r.x} y={r.y} width={r.w} height={r.h} rx={3} />
              <Padlock x={r.x + 10} y={r.y + r.h / 2 - 1} />
              <text x={r.x + 20} y={r.y + r.h / 2 + 1}>
                {clip(`PyMutex_Lock: ${names.objects[obj] ?? '?'}`, fits(r.w - 26))}
              </text>
            </g>
          )
        })}

        {lane.queueLabel && (
          <text className="small-label" x={lane.queueLabel.x} y={lane.queueLabel.y}>
            BRC merge queue
          </text>
        )}
        {lane.queue.map((r, i) => {
          const obj = t.queue[i]
          return (
            <g key={i} className={obj === undefined ? '' : 'queue-entry'}>
              {obj !== undefined && <Changed r={r} on={has(changed, 'queue')} />}
              <rect className={obj === undefined ? 'slot-empty' : 'slot-bg'} x={r.x} y={r.y} width={r.w} height={r.h} rx={3} />
              <text x={r.x + r.w / 2} y={r.y + r.h / 2 + 1} textAnchor="middle" className={obj === undefined ? 'muted' : ''}>
                {obj === undefined ? (i === 0 ? 'empty' : '') : clip(names.objects[obj] ?? '?', fits(r.w - 6))}
              </text>
            </g>
          )
        })}

        {lane.heapLabel && (
          <text className="small-label" x={lane.heapLabel.x} y={lane.heapLabel.y}>
            heap pages (mimalloc blocks)
          </text>
        )}
      </g>
    </g>
  )
}

export const ThreadLane = memo(ThreadLaneImpl)

export interface PageRowProps {
  readonly page: PageState
  readonly layout: PageLayout
  readonly names: Names
  /** Object ids whose blocks changed in this step, comma-joined. */
  readonly changed: string
}

export type BlockState = 'live' | 'free' | 'xfree' | 'unused'

export function blockState(page: PageState, i: number): { state: BlockState; obj: number } {
  const obj = page.blocks[i]
  if (obj === undefined) return { state: 'unused', obj: -1 }
  if (page.threadFreeList.includes(obj)) return { state: 'xfree', obj }
  if (page.freeList.includes(obj)) return { state: 'free', obj }
  return { state: 'live', obj }
}

const BLOCK_WORD: Readonly<Record<BlockState, string>> = {
  live: 'live',
  free: 'free',
  xfree: 'freed by another thread',
  unused: 'unused',
}

function PageRowImpl({ page, layout, names, changed }: PageRowProps) {
  const blocks = Array.from({ length: PAGE_BLOCKS }, (_, i) => blockState(page, i))
  const label = `Heap page ${page.id}${page.owner < 0 ? ' (abandoned)' : ''}: ${blocks.map((b) => (b.obj >= 0 ? `${names.objects[b.obj] ?? '?'} ${BLOCK_WORD[b.state]}` : 'unused')).join(', ')}`
  return (
    <g className={`page ${threadClass(page.owner)}`} role="img" aria-label={label} data-page={page.id}>
      <text className="muted" x={layout.rect.x} y={layout.rect.y + layout.rect.h / 2 + 1}>
        {page.owner < 0 ? `p${page.id}✕` : `p${page.id}`}
      </text>
      {layout.blocks.map((r, i) => {
        const b = blocks[i]!
        const isChanged = b.obj >= 0 && has(changed, String(b.obj))
        return (
          <g key={i} data-block={b.state}>
            <rect className={`block block-${b.state}${isChanged ? ' block-changed' : ''}`} x={r.x} y={r.y} width={r.w} height={r.h} rx={2} />
            {b.state === 'free' && <line className="block" x1={r.x + 2} y1={r.y + r.h - 2} x2={r.x + r.w - 2} y2={r.y + 2} />}
            {b.state === 'live' && (
              <text className="block-text" x={r.x + r.w / 2} y={r.y + r.h / 2 + 1} textAnchor="middle">
                {clip(names.objects[b.obj] ?? '', 4)}
              </text>
            )}
          </g>
        )
      })}
    </g>
  )
}

export const PageRow = memo(PageRowImpl)
