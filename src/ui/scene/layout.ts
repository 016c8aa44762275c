// Where everything goes: a pure function of (trace, width), computed once per trace and width.
// Thread lanes stack vertically; each lane has a header (name, status, frame variables,
// critical sections, merge queue, heap pages) and, beside it (or below it when narrow), the
// cards of the objects allocated on that thread's heap, in allocation order. Immortal objects
// get a row of their own. Every slot that varies over the trace (variables, sections, queue
// entries, pages) is sized for the largest the trace ever gets, so nothing moves while playing:
// positions are keyed by id and stay put for the whole trace.

import { scaleBand } from 'd3-scale'
import { PAGE_BLOCKS, type Mode, type PageState, type StepRecord, type WorldState } from '../../engine'
import { cardRows, type RowId } from './format'

export interface Point {
  readonly x: number
  readonly y: number
}
export interface Rect {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface CardGeometry {
  readonly w: number
  readonly h: number
  /** Width of the field-name column. */
  readonly labelW: number
  readonly rows: readonly { readonly id: RowId; readonly y: number; readonly h: number; readonly lines: number }[]
}

export interface PageLayout {
  readonly page: number
  readonly rect: Rect
  readonly blocks: readonly Rect[]
}

export interface LaneLayout {
  readonly thread: number
  readonly rect: Rect
  readonly header: Rect
  readonly name: Rect
  readonly status: Rect
  /** Where the GIL badge sits when this thread holds it (gil mode). */
  readonly gil: Rect | null
  /** unsafe mode: the register holding a value read from ob_refcnt. */
  readonly register: Rect | null
  readonly varsLabel: Point
  readonly vars: readonly Rect[]
  readonly sectionsLabel: Point | null
  /** Critical sections, bottom of the stack first, then direct PyMutex locks. */
  readonly sections: readonly Rect[]
  readonly locks: readonly Rect[]
  readonly queueLabel: Point | null
  readonly queue: readonly Rect[]
  readonly heapLabel: Point | null
  readonly pages: readonly PageLayout[]
  /** The area holding this heap's object cards. */
  readonly objects: Rect
  /** x of the vertical bus this lane's variable arrows run down (between header and cards, or right of the cards when narrow). */
  readonly busX: number
}

export interface SceneLayout {
  readonly mode: Mode
  readonly width: number
  readonly height: number
  readonly narrow: boolean
  /** The world bar at the top: mode, GC, GIL. */
  readonly banner: Rect
  /** Where the GIL badge sits when nobody holds it (gil mode). */
  readonly gilHome: Rect | null
  readonly lanes: readonly LaneLayout[]
  /** Statically allocated / immortal objects. */
  readonly statics: { readonly rect: Rect; readonly label: Point } | null
  /** Card rectangle by object id; null for objects the trace never creates. */
  readonly cards: readonly (Rect | null)[]
  /** Thread lane each object's card sits in (its heap), -1 for statics, by object id. */
  readonly home: readonly number[]
  readonly card: CardGeometry
  /** Block rectangles by page id. */
  readonly blocks: readonly (readonly Rect[] | undefined)[]
}

export const PAD = 12
export const HEADER_W = 288
export const CARD_W = 272
export const CARD_GAP_X = 36
/** Vertical gap between card rows: the channel above each row that arrows run along. */
export const CARD_GAP_Y = 30
export const LINE = 14
const ROW_PAD = 3
export const CARD_LABEL_W = 100
const BANNER_H = 34
const NAME_H = 22
const STATUS_H = 20
const SMALL_LABEL_H = 16
const CHIP_H = 20
const CHIP_GAP = 4
const CHIP_W = 236
const SLOT_H = 18
const QUEUE_SLOT_W = 58
const PAGE_ROW_H = 18
const BLOCK_W = 26
const BLOCK_H = 12
/** Below this width the lane header goes above the cards instead of beside them. */
export const NARROW_BELOW = HEADER_W + CARD_W + CARD_GAP_X + 3 * PAD
export const MIN_WIDTH = CARD_W + 2 * PAD + 24

export function cardGeometry(mode: Mode, withMutex = true): CardGeometry {
  let y = 6
  const rows = cardRows(mode, withMutex).map((r) => {
    const h = r.id === 'head' ? LINE + 8 : r.lines * LINE + ROW_PAD
    const row = { id: r.id, y, h, lines: r.lines }
    y += h
    return row
  })
  return { w: CARD_W, h: y + 6, labelW: CARD_LABEL_W, rows }
}

export function rowRect(card: Rect, geo: CardGeometry, row: RowId): Rect {
  const r = geo.rows.find((x) => x.id === row) ?? geo.rows[0]!
  return { x: card.x, y: card.y + r.y, w: card.w, h: r.h }
}

/** The value part of a row (right of the field name). */
export function valueRect(card: Rect, geo: CardGeometry, row: RowId): Rect {
  const r = rowRect(card, geo, row)
  if (row === 'head') return { x: r.x + 8, y: r.y, w: r.w - 16, h: r.h }
  return { x: r.x + geo.labelW, y: r.y, w: r.w - geo.labelW - 6, h: r.h }
}

/** How large each thread's variable slots, sections, queue and heap ever get in the trace. */
export interface Extents {
  readonly vars: readonly number[]
  readonly sections: readonly number[]
  readonly locks: readonly number[]
  readonly queue: readonly number[]
  /** Pages by id: the thread whose heap created each (a page's owner only changes to -1). */
  readonly pageOwner: readonly number[]
  /** Thread whose heap each object was allocated on; -1 for statics; -2 if never created. */
  readonly home: readonly number[]
  readonly usesLocks: boolean
}

type TraceLike = { readonly initial: WorldState; readonly final: WorldState; readonly steps: readonly StepRecord[] }
const EXTENTS = new WeakMap<TraceLike, Extents>()

/** Scans the recorded field writes once per trace (no state replay); cached per trace. */
export function traceExtents(trace: TraceLike): Extents {
  let ext = EXTENTS.get(trace)
  if (!ext) {
    ext = scanExtents(trace)
    EXTENTS.set(trace, ext)
  }
  return ext
}

function scanExtents(trace: TraceLike): Extents {
  const init = trace.initial
  const n = init.threads.length
  const varsNow = init.threads.map((t) => t.vars.length)
  const crefsNow = init.threads.map((t) => t.cRefs.length)
  const vars = varsNow.map((v, i) => v + crefsNow[i]!)
  const sections = init.threads.map((t) => t.sections.length)
  const locks = init.threads.map((t) => t.directLocks.length)
  const queue = init.threads.map((t) => t.queue.length)
  const pageOwner: number[] = init.pages.map((p) => p.owner)
  let usesLocks = init.objects.some((o) => o.lockedBy >= 0)
  for (const step of trace.steps) {
    for (const c of step.changes) {
      if (c.target === 'thread' && c.id < n) {
        const len = Array.isArray(c.value) ? c.value.length : 0
        switch (c.field) {
          case 'vars':
            varsNow[c.id] = len
            vars[c.id] = Math.max(vars[c.id]!, len + crefsNow[c.id]!)
            break
          case 'cRefs':
            crefsNow[c.id] = len
            vars[c.id] = Math.max(vars[c.id]!, len + varsNow[c.id]!)
            break
          case 'sections':
            sections[c.id] = Math.max(sections[c.id]!, len)
            break
          case 'directLocks':
            locks[c.id] = Math.max(locks[c.id]!, len)
            break
          case 'queue':
            queue[c.id] = Math.max(queue[c.id]!, len)
            break
        }
      } else if (c.target === 'page' && c.field === '*') {
        pageOwner[c.id] = (c.value as PageState).owner
      } else if (c.target === 'object' && c.field === 'lockedBy') {
        usesLocks = true
      }
    }
  }
  const home = trace.final.objects.map((o) => {
    if (o.page >= 0) return pageOwner[o.page] ?? 0
    if (o.immortal) return -1
    return -2
  })
  return { vars, sections, locks, queue, pageOwner, home, usesLocks: usesLocks || sections.some((s) => s > 0) }
}

/** Rounds a container width to a layout width (fewer relayouts while resizing). */
export function layoutWidth(containerWidth: number): number {
  return Math.max(MIN_WIDTH, Math.floor(containerWidth / 16) * 16)
}

/** CSS zoom of the scene: 1 up to a laptop screen, larger on a projector or 4K screen. */
export function sceneZoom(containerWidth: number): number {
  return Math.min(2.4, Math.max(1, containerWidth / 1440))
}

export function layoutScene(
  trace: { readonly mode: Mode; readonly initial: WorldState; readonly final: WorldState; readonly steps: readonly StepRecord[] },
  width: number,
): SceneLayout {
  const mode = trace.mode
  const ext = traceExtents(trace)
  const W = Math.max(MIN_WIDTH, Math.floor(width))
  const narrow = W < NARROW_BELOW
  const card = cardGeometry(mode, mode !== 'gil' || ext.usesLocks)
  const threads = trace.final.threads
  const objects = trace.final.objects
  const ft = mode === 'free-threaded'

  // Objects per heap, in allocation (address) order.
  const byHome = new Map<number, number[]>()
  for (const o of objects) {
    const h = ext.home[o.id]!
    if (h === -2) continue
    const list = byHome.get(h) ?? []
    list.push(o.id)
    byHome.set(h, list)
  }
  for (const list of byHome.values()) list.sort((a, b) => objects[a]!.address - objects[b]!.address || a - b)

  const cards: (Rect | null)[] = objects.map(() => null)
  const blocks: (Rect[] | undefined)[] = []
  const banner: Rect = { x: 0, y: 0, w: W, h: BANNER_H }
  const gilHome: Rect | null = mode === 'gil' ? { x: W - PAD - 64, y: 7, w: 56, h: 20 } : null

  const headerW = narrow ? W - 2 * PAD : HEADER_W
  const objectsX = narrow ? PAD : PAD + HEADER_W + CARD_GAP_X
  const objectsW = W - objectsX - PAD
  const cols = Math.max(1, Math.floor((objectsW + CARD_GAP_X) / (CARD_W + CARD_GAP_X)))
  const cardX = scaleBand<number>()
    .domain(Array.from({ length: cols }, (_, i) => i))
    .range([objectsX, objectsX + cols * (CARD_W + CARD_GAP_X)])
    .paddingInner(CARD_GAP_X / (CARD_W + CARD_GAP_X))
    .paddingOuter(0)
    .align(0)

  const placeCards = (ids: readonly number[], top: number): number => {
    ids.forEach((id, i) => {
      const col = i % cols
      const row = Math.floor(i / cols)
      cards[id] = { x: Math.round(cardX(col)!), y: top + CARD_GAP_Y + row * (card.h + CARD_GAP_Y), w: CARD_W, h: card.h }
    })
    const rows = Math.ceil(ids.length / cols)
    return rows === 0 ? 0 : CARD_GAP_Y + rows * card.h + (rows - 1) * CARD_GAP_Y
  }

  // Variable arrows leave the header to the right and run down a bus to the channel above
  // their target's row: beside the cards when wide, right of the single card column when narrow.
  const busX = narrow ? Math.min(W - 10, objectsX + cols * (CARD_W + CARD_GAP_X) - CARD_GAP_X + 10) : PAD + HEADER_W + 10
  let y = BANNER_H + 8
  const lanes: LaneLayout[] = threads.map((t) => {
    const top = y
    const hx = PAD
    let hy = top + 8
    const inner = headerW - 20
    const name: Rect = { x: hx + 10, y: hy, w: inner, h: NAME_H }
    hy += NAME_H + 2
    const status: Rect = { x: hx + 10, y: hy, w: inner, h: STATUS_H }
    hy += STATUS_H + 4
    let gil: Rect | null = null
    let register: Rect | null = null
    if (mode === 'gil') {
      gil = { x: hx + 10, y: hy, w: 56, h: 20 }
      hy += 24
    } else if (mode === 'unsafe') {
      register = { x: hx + 10, y: hy, w: inner, h: SLOT_H }
      hy += SLOT_H + 4
    }
    const varsLabel = { x: hx + 10, y: hy + 11 }
    hy += SMALL_LABEL_H
    // One chip per row, so every chip's arrow leaves to the right without crossing another.
    const chipW = Math.min(inner, CHIP_W)
    const nVars = Math.max(1, ext.vars[t.index]!)
    const vars: Rect[] = Array.from({ length: nVars }, (_, i) => ({
      x: hx + 10,
      y: hy + i * (CHIP_H + CHIP_GAP),
      w: chipW,
      h: CHIP_H,
    }))
    hy += nVars * (CHIP_H + CHIP_GAP) + 2
    let sectionsLabel: Point | null = null
    const sections: Rect[] = []
    const locks: Rect[] = []
    if (ext.usesLocks) {
      sectionsLabel = { x: hx + 10, y: hy + 11 }
      hy += SMALL_LABEL_H
      const nS = Math.max(1, ext.sections[t.index]!)
      for (let i = 0; i < nS; i++) {
        sections.push({ x: hx + 10, y: hy, w: inner, h: SLOT_H })
        hy += SLOT_H + 2
      }
      for (let i = 0; i < ext.locks[t.index]!; i++) {
        locks.push({ x: hx + 10, y: hy, w: inner, h: SLOT_H })
        hy += SLOT_H + 2
      }
      hy += 2
    }
    let queueLabel: Point | null = null
    const queue: Rect[] = []
    if (ft) {
      queueLabel = { x: hx + 10, y: hy + 11 }
      hy += SMALL_LABEL_H
      const perRow = Math.max(1, Math.floor((inner + 4) / (QUEUE_SLOT_W + 4)))
      const nQ = Math.max(1, ext.queue[t.index]!)
      for (let i = 0; i < nQ; i++) {
        queue.push({ x: hx + 10 + (i % perRow) * (QUEUE_SLOT_W + 4), y: hy + Math.floor(i / perRow) * (SLOT_H + 4), w: QUEUE_SLOT_W, h: SLOT_H })
      }
      hy += Math.ceil(nQ / perRow) * (SLOT_H + 4) + 2
    }
    const myPages = ext.pageOwner.map((owner, id) => ({ owner, id })).filter((p) => p.owner === t.index)
    let heapLabel: Point | null = null
    const pages: PageLayout[] = []
    if (myPages.length) {
      heapLabel = { x: hx + 10, y: hy + 11 }
      hy += SMALL_LABEL_H
      const perRow = Math.max(1, Math.floor((inner + 8) / (PAGE_BLOCKS * (BLOCK_W + 2) + 46)))
      const pageW = PAGE_BLOCKS * (BLOCK_W + 2) + 38
      myPages.forEach((p, i) => {
        const px = hx + 10 + (i % perRow) * (pageW + 8)
        const py = hy + Math.floor(i / perRow) * PAGE_ROW_H
        const bl = Array.from({ length: PAGE_BLOCKS }, (_, b) => ({ x: px + 36 + b * (BLOCK_W + 2), y: py + 3, w: BLOCK_W, h: BLOCK_H }))
        blocks[p.id] = bl
        pages.push({ page: p.id, rect: { x: px, y: py, w: pageW, h: PAGE_ROW_H }, blocks: bl })
      })
      hy += Math.ceil(myPages.length / perRow) * PAGE_ROW_H + 2
    }
    const headerH = hy - top + 6
    const header: Rect = { x: hx, y: top + 2, w: headerW, h: headerH - 2 }
    const ids = byHome.get(t.index) ?? []
    const cardsTop = narrow ? top + headerH : top
    const cardsH = placeCards(ids, cardsTop)
    const objectsArea: Rect = { x: objectsX, y: cardsTop, w: objectsW, h: cardsH }
    const height = narrow ? headerH + (cardsH ? cardsH + 12 : 4) : Math.max(headerH, cardsH + 12)
    y = top + height + 10
    return {
      thread: t.index,
      rect: { x: 0, y: top, w: W, h: height },
      header,
      name,
      status,
      gil,
      register,
      varsLabel,
      vars,
      sectionsLabel,
      sections,
      locks,
      queueLabel,
      queue,
      heapLabel,
      pages,
      objects: objectsArea,
      busX,
    }
  })

  let statics: SceneLayout['statics'] = null
  const staticIds = byHome.get(-1) ?? []
  if (staticIds.length) {
    const top = y
    const label = { x: PAD + 10, y: top + 18 }
    // Statics span the full width (no header beside them).
    const colsS = Math.max(1, Math.floor((W - 2 * PAD + CARD_GAP_X) / (CARD_W + CARD_GAP_X)))
    staticIds.forEach((id, i) => {
      cards[id] = {
        x: PAD + (i % colsS) * (CARD_W + CARD_GAP_X),
        y: top + 24 + CARD_GAP_Y + Math.floor(i / colsS) * (card.h + CARD_GAP_Y),
        w: CARD_W,
        h: card.h,
      }
    })
    const rows = Math.ceil(staticIds.length / colsS)
    const h = 24 + CARD_GAP_Y + rows * card.h + (rows - 1) * CARD_GAP_Y + 14
    statics = { rect: { x: 0, y: top, w: W, h }, label }
    y = top + h + 10
  }

  return {
    mode,
    width: W,
    height: y + 8,
    narrow,
    banner,
    gilHome,
    lanes,
    statics,
    cards,
    home: ext.home,
    card,
    blocks,
  }
}

// ------------------------------------------------------------------------------- geometry

export function center(r: Rect): Point {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 }
}

/** The block of a heap page that holds an object, or null. */
export function blockRect(layout: SceneLayout, pages: readonly PageState[], obj: number, page: number): Rect | null {
  const p = pages[page]
  const bl = layout.blocks[page]
  if (!p || !bl) return null
  const i = p.blocks.indexOf(obj)
  return i >= 0 ? (bl[i] ?? null) : null
}

/**
 * A polyline with rounded corners (quadratic, radius r or less where segments are short):
 * arrows are routed orthogonally through the gaps between cards, never across them.
 */
export function roundedPath(points: readonly Point[], r = 6): string {
  if (points.length < 2) return ''
  const f = (n: number) => Math.round(n * 10) / 10
  const first = points[0]!
  let d = `M${f(first.x)},${f(first.y)}`
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1]!
    const cur = points[i]!
    const next = points[i + 1]!
    const l1 = Math.hypot(cur.x - prev.x, cur.y - prev.y)
    const l2 = Math.hypot(next.x - cur.x, next.y - cur.y)
    if (l1 === 0 || l2 === 0) continue
    const rr = Math.min(r, l1 / 2, l2 / 2)
    const ax = cur.x - ((cur.x - prev.x) / l1) * rr
    const ay = cur.y - ((cur.y - prev.y) / l1) * rr
    const bx = cur.x + ((next.x - cur.x) / l2) * rr
    const by = cur.y + ((next.y - cur.y) / l2) * rr
    d += `L${f(ax)},${f(ay)}Q${f(cur.x)},${f(cur.y)} ${f(bx)},${f(by)}`
  }
  const last = points[points.length - 1]!
  return `${d}L${f(last.x)},${f(last.y)}`
}

/**
 * A variable's arrow: right from its chip to the lane's bus, along the bus to the channel above
 * the target card's row, along the channel, then down into the card's top (left part). Offsets
 * by chip and thread keep parallel arrows apart.
 */
export function varArrowPoints(busX: number, chip: Rect, card: Rect, chipIndex: number, thread: number): Point[] {
  const sy = chip.y + chip.h / 2
  const bx = busX + (chipIndex % 4) * 3
  const cy = card.y - 7 - (thread % 4) * 4
  const ex = card.x + 20 + (thread % 8) * 10
  return [
    { x: chip.x + chip.w, y: sy },
    { x: bx, y: sy },
    { x: bx, y: cy },
    { x: ex, y: cy },
    { x: ex, y: card.y - 1 },
  ]
}

/**
 * A container's arrow to an item: right from its "refs to" row into the gap beside the card, up
 * or down the gap to the channel above the target's row, along it, then down into the target's
 * top (right part). Works for an item in the same row, another row, another lane, or itself.
 */
export function slotArrowPoints(from: Rect, sy: number, to: Rect, k: number): Point[] {
  const gx = from.x + from.w + 8 + (k % 4) * 4
  const cy = to.y - 22 + (k % 3) * 3
  const ex = to.x + to.w - 20 - (k % 8) * 10
  return [
    { x: from.x + from.w, y: sy },
    { x: gx, y: sy },
    { x: gx, y: cy },
    { x: ex, y: cy },
    { x: ex, y: to.y - 1 },
  ]
}
