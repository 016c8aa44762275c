import { describe, expect, it } from 'vitest'
import {
  CARD_W,
  MIN_WIDTH,
  NARROW_BELOW,
  layoutScene,
  layoutWidth,
  roundedPath,
  sceneZoom,
  slotArrowPoints,
  traceExtents,
  varArrowPoints,
  type Rect,
} from '../../src/ui/scene/layout'
import { DEFERRED, QUEUED, SECTIONS, run } from './scene-fixtures'

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h
}

describe('scene layout', () => {
  it('is deterministic: the same trace and width give the same layout', () => {
    const a = layoutScene(run(QUEUED), 1280)
    const b = layoutScene(run(QUEUED), 1280)
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })

  it('places every object the trace ever creates, keyed by id, once for the whole trace', () => {
    const trace = run(QUEUED)
    const layout = layoutScene(trace, 1280)
    const labels = trace.final.objects.filter((o) => o.allocated).map((o) => o.label)
    expect(labels).toEqual(['G', 'O', 'Q'])
    for (const o of trace.final.objects) expect(layout.cards[o.id]).not.toBeNull()
    // The layout does not depend on the position: it is computed from the trace alone.
    expect(layout.cards.map((c) => c && [c.x, c.y])).toEqual(layoutScene(trace, 1280).cards.map((c) => c && [c.x, c.y]))
  })

  it('puts each card in the lane of the heap it was allocated on, statics in their own row', () => {
    const trace = run(DEFERRED)
    const layout = layoutScene(trace, 1280)
    const byLabel = new Map(trace.final.objects.map((o) => [o.label, o.id]))
    const main = layout.lanes[0]!
    expect(inside(layout.cards[byLabel.get('G')!]!, main.rect)).toBe(true)
    expect(inside(layout.cards[byLabel.get('F')!]!, main.rect)).toBe(true)
    expect(layout.statics).not.toBeNull()
    expect(inside(layout.cards[byLabel.get('NONE')!]!, layout.statics!.rect)).toBe(true)
    expect(layout.home[byLabel.get('NONE')!]).toBe(-1)
  })

  it('never overlaps cards with each other or with lane headers', () => {
    for (const width of [360, 720, 1280, 2400]) {
      const layout = layoutScene(run(SECTIONS), width)
      const cards = layout.cards.filter((c): c is Rect => c !== null)
      for (let i = 0; i < cards.length; i++) {
        for (let j = i + 1; j < cards.length; j++) expect(overlaps(cards[i]!, cards[j]!)).toBe(false)
        for (const lane of layout.lanes) expect(overlaps(cards[i]!, lane.header)).toBe(false)
        expect(cards[i]!.x + cards[i]!.w).toBeLessThanOrEqual(layout.width)
      }
      // Lanes stack without overlapping.
      for (let k = 1; k < layout.lanes.length; k++) {
        expect(layout.lanes[k]!.rect.y).toBeGreaterThanOrEqual(layout.lanes[k - 1]!.rect.y + layout.lanes[k - 1]!.rect.h)
      }
    }
  })

  it('reflows for a phone: header above the cards, one column, nothing wider than the screen', () => {
    const layout = layoutScene(run(QUEUED), 360)
    expect(layout.narrow).toBe(true)
    expect(layout.width).toBe(360)
    const lane = layout.lanes[0]!
    expect(lane.header.x + lane.header.w).toBeLessThanOrEqual(360)
    const cards = layout.cards.filter((c): c is Rect => c !== null)
    expect(new Set(cards.map((c) => c.x)).size).toBe(1)
    for (const c of cards) expect(c.y).toBeGreaterThan(layout.lanes[0]!.header.y)
    expect(layoutScene(run(QUEUED), NARROW_BELOW).narrow).toBe(false)
  })

  it('reserves slots for the most variables, sections and queue entries the trace ever has', () => {
    const trace = run(QUEUED)
    const ext = traceExtents(trace)
    expect(ext.vars).toEqual([2, 2]) // main: x, q; T1: q, y
    expect(ext.queue).toEqual([1, 0]) // O waits in main's merge queue
    const layout = layoutScene(trace, 1280)
    expect(layout.lanes[0]!.vars).toHaveLength(2)
    expect(layout.lanes[0]!.queue).toHaveLength(1)
    expect(layout.lanes[1]!.queue).toHaveLength(1) // an empty tray is still shown
    expect(traceExtents(run(SECTIONS)).sections).toEqual([1, 1])
  })

  it('scales up on large screens and keeps a minimum width', () => {
    expect(sceneZoom(1280)).toBe(1)
    expect(sceneZoom(3840)).toBeGreaterThan(2)
    expect(layoutWidth(100)).toBe(MIN_WIDTH)
    expect(layoutWidth(1283)).toBe(1280)
    expect(MIN_WIDTH).toBeGreaterThan(CARD_W)
  })
})

describe('arrow routing', () => {
  it('rounds the corners of an orthogonal route', () => {
    const d = roundedPath([
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 50 },
    ])
    expect(d).toBe('M0,0L94,0Q100,0 100,6L100,50')
    expect(roundedPath([{ x: 1, y: 1 }])).toBe('')
  })

  it('runs a variable arrow along the bus and into the top of its card', () => {
    const chip = { x: 20, y: 100, w: 200, h: 20 }
    const card = { x: 400, y: 300, w: 272, h: 200 }
    const pts = varArrowPoints(310, chip, card, 0, 1)
    expect(pts[0]).toEqual({ x: 220, y: 110 })
    expect(pts[1]!.x).toBe(310)
    expect(pts[pts.length - 1]).toEqual({ x: 430, y: 299 })
    // The horizontal run is in the channel above the card.
    expect(pts[2]!.y).toBeLessThan(card.y)
  })

  it('routes a container arrow out of its right side, even to itself', () => {
    const card = { x: 400, y: 300, w: 272, h: 200 }
    const self = slotArrowPoints(card, 480, card, 0)
    expect(self[0]).toEqual({ x: 672, y: 480 })
    expect(self[self.length - 1]!.y).toBe(299)
    expect(self[self.length - 1]!.x).toBeGreaterThan(card.x)
    expect(self[self.length - 1]!.x).toBeLessThan(card.x + card.w)
  })
})
