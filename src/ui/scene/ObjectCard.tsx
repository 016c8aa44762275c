// One object as a card: the free-threaded PyObject header in Include/object.h's order (ob_tid,
// ob_flags, ob_mutex, ob_gc_bits, ob_ref_local, ob_ref_shared), or ob_refcnt in the other
// modes, plus what it refers to and whether it is alive. Memoised: stateAt shares an unchanged
// object record between consecutive states, and every other prop is a primitive or stable.

import { memo } from 'react'
import type { Mode, ObjectState } from '../../engine'
import { ROW_FIELD, clip, countGap, objectSummary, ownerText, rowLines, type CardContext, type Names, type RowId } from './format'
import { LINE, type CardGeometry, type Rect } from './layout'
import { threadClass } from './palette'

export interface ObjectCardProps {
  readonly o: ObjectState
  readonly rect: Rect
  readonly geo: CardGeometry
  readonly mode: Mode
  readonly names: Names
  /** Thread named by ob_tid, or -1. */
  readonly owner: number
  readonly ownerExited: boolean
  /** Rows changed by the current step, comma-joined ('' for none). */
  readonly changed: string
}

/** Baseline (middle) of text line `i` of a row starting at `y`. */
export function lineY(rowY: number, i: number, head = false): number {
  return rowY + (head ? 11 : LINE / 2 + 1.5) + i * LINE
}

/** Characters that fit a width in the card's monospace font. */
export function fits(width: number, charW = 6.35): number {
  return Math.max(3, Math.floor(width / charW))
}

function cardClass(o: ObjectState, mode: Mode, owner: number): string {
  const parts = ['card']
  if (o.immortal) parts.push('card-immortal')
  else if (mode === 'free-threaded' && owner < 0) parts.push('card-unowned')
  if (o.freed) parts.push('card-freed')
  if (countGap(o, mode)) parts.push('card-gap')
  parts.push(threadClass(o.immortal || mode !== 'free-threaded' ? -1 : owner))
  return parts.join(' ')
}

function ObjectCardImpl({ o, rect, geo, mode, names, owner, ownerExited, changed }: ObjectCardProps) {
  const ctx: CardContext = { mode, names, owner, ownerExited }
  const changedRows = changed ? changed.split(',') : []
  if (!o.allocated) {
    return (
      <g className="card-placeholder" transform={`translate(${rect.x},${rect.y})`} role="img" aria-label={objectSummary(o, ctx)} data-object={o.label}>
        <rect width={rect.w} height={rect.h} rx={6} />
        <text x={12} y={16} className="muted">
          {clip(`${o.label} · ${o.type}`, fits(rect.w - 24))}
        </text>
        <text x={12} y={34} className="muted">
          not created yet
        </text>
      </g>
    )
  }
  const valueW = geo.w - geo.labelW - 6
  const tag = mode === 'free-threaded' ? ownerText(o, ctx) : o.immortal ? 'immortal' : ''
  const tagText = o.freed ? 'FREED' : clip(tag, 16)
  const tagW = tagText ? tagText.length * 6.2 + 12 : 0
  return (
    <g
      className={cardClass(o, mode, owner)}
      transform={`translate(${rect.x},${rect.y})`}
      role="img"
      aria-label={objectSummary(o, ctx, changedRows)}
      data-object={o.label}
    >
      <title>{objectSummary(o, ctx, changedRows)}</title>
      <rect className="card-bg" width={rect.w} height={rect.h} rx={6} />
      {o.immortal && <rect className="card-inner" x={3} y={3} width={rect.w - 6} height={rect.h - 6} rx={4} />}
      {!o.immortal && mode === 'free-threaded' && owner >= 0 && <rect className="card-owner-bar" x={0} y={0} width={6} height={rect.h} rx={2} />}
      {geo.rows.map((row) => {
        const isChanged = changedRows.includes(row.id)
        const lines = rowLines(row.id, o, ctx)
        return (
          <g key={row.id} data-row={row.id} data-changed={isChanged ? 'true' : undefined}>
            {isChanged && (
              <>
                <rect className="row-changed-bg" x={6} y={row.y} width={rect.w - 8} height={row.h} />
                <rect className="row-changed-bar" x={6} y={row.y} width={4} height={row.h} />
              </>
            )}
            {row.id === 'head' ? (
              <>
                <text className="card-title" x={14} y={lineY(row.y, 0, true)}>
                  {clip(`${o.label} · ${o.type}`, fits(rect.w - tagW - 30, 7.2))}
                </text>
                {tagText && (
                  <g className="owner-tag" transform={`translate(${rect.w - tagW - 6},${row.y + 2})`}>
                    <rect width={tagW} height={17} rx={8} />
                    <text x={tagW / 2} y={9} textAnchor="middle">
                      {tagText}
                    </text>
                  </g>
                )}
              </>
            ) : (
              <>
                <line className="row-sep" x1={10} x2={rect.w - 4} y1={row.y} y2={row.y} />
                <text className="row-label" x={14} y={lineY(row.y, 0)}>
                  {ROW_FIELD[row.id as RowId]}
                </text>
                {lines.map((line, i) => (
                  <text key={i} className="row-value" x={geo.labelW} y={lineY(row.y, i)}>
                    {clip(line, fits(valueW))}
                  </text>
                ))}
              </>
            )}
          </g>
        )
      })}
    </g>
  )
}

export const ObjectCard = memo(ObjectCardImpl)
