import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { rawShared } from '../../src/engine'
import { Scene } from '../../src/ui/scene/Scene'
import { rawSharedBits } from '../../src/ui/scene/format'
import { DEFERRED, HANDOFF, LOST_UPDATE, QUEUED, SECTIONS, after, run } from './scene-fixtures'

type TraceT = ReturnType<typeof run>

function show(trace: TraceT, position: number) {
  return render(<Scene trace={trace} position={position} previousPosition={position} reducedMotion={false} speed={1} />)
}

function card(container: HTMLElement, label: string): Element {
  const el = container.querySelector(`[data-object="${label}"]`)
  if (!el) throw new Error(`no card ${label}`)
  return el
}

function row(container: HTMLElement, label: string, id: string): string {
  const el = card(container, label).querySelector(`[data-row="${id}"]`)
  if (!el) throw new Error(`no row ${id} on ${label}`)
  // Lines are separate <text> elements: join them with a space, as a reader sees them.
  return [...el.querySelectorAll('text')].map((t) => t.textContent).join(' ')
}

function objectOf(trace: TraceT, position: number, label: string) {
  return trace.stateAt(position).objects.find((o) => o.label === label)!
}

describe('object card fields show the engine values', () => {
  it('ob_tid names the owner and gives the raw id', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'queue.put')
    const { container } = show(trace, p)
    const o = objectOf(trace, p, 'O')
    expect(row(container, 'O', 'tid')).toBe(`ob_tid main 0x${o.tid.toString(16)}`)
    expect(card(container, 'O').querySelector('.owner-tag')?.textContent).toBe('main')
  })

  it('ob_ref_local and ob_ref_shared: count, state name and raw bits', () => {
    const trace = run(QUEUED)
    // T1 reads G.q under G's lock: Q's shared count 1 with MAYBE_WEAKREF: raw (1 << 2) | 1.
    const p = after(trace, 'incref.shared')
    const { container, unmount } = show(trace, p)
    expect(row(container, 'Q', 'shared')).toBe('ob_ref_shared count 1 · MAYBE_WEAKREF raw 0b101')
    expect(row(container, 'Q', 'local')).toBe(`ob_ref_local ${objectOf(trace, p, 'Q').local}`)
    unmount()
    // T1 drops a reference it never counted: QUEUED with count 0 (raw 0b10).
    const q = after(trace, 'decref.queue')
    const second = show(trace, q)
    expect(row(second.container, 'O', 'shared')).toBe('ob_ref_shared count 0 · QUEUED raw 0b10')
    expect(row(second.container, 'O', 'local')).toBe('ob_ref_local 2')
  })

  it('a merge shows the folded count, no owner, MERGED', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'brc.merge')
    const { container } = show(trace, p)
    expect(row(container, 'O', 'tid')).toBe('ob_tid 0 (no owner)')
    expect(row(container, 'O', 'local')).toBe('ob_ref_local 0')
    expect(row(container, 'O', 'shared')).toBe('ob_ref_shared count 1 · MERGED raw 0b111')
    expect(card(container, 'O').getAttribute('class')).toContain('card-unowned')
  })

  it('raw bits are the 64-bit word: the deferred bias in hex, negative counts in two’s complement', () => {
    const trace = run(DEFERRED)
    const p = after(trace, 'alloc')
    const f = objectOf(trace, p, 'F')
    expect(f.deferred).toBe(true)
    const word = BigInt(rawShared(f))
    expect(rawSharedBits(f)).toBe(`0x${word.toString(16).padStart(16, '0').slice(0, 4)}…${word.toString(16).slice(-4)}`)
    const { container } = show(trace, p)
    expect(row(container, 'F', 'shared')).toBe(`ob_ref_shared count 0+bias · DEFAULT raw ${rawSharedBits(f)}`)
    expect(rawSharedBits({ ...f, deferred: false, shared: -1, state: 0 })).toBe('0xffff…fffc')
  })

  it('ob_mutex: holder, parked waiters and the LOCKED / HAS_PARKED bits', () => {
    const trace = run(SECTIONS)
    const p = after(trace, 'cs.park')
    const { container } = show(trace, p)
    expect(row(container, 'A', 'mutex')).toBe('ob_mutex LOCKED|HAS_PARKED 0b11 held by main · parked: T1')
    const lane = container.querySelector('[data-thread="T1"]')!
    expect(lane.getAttribute('aria-label')).toContain("blocked on A's mutex (held by main)")
    expect(lane.querySelector('[data-section]')?.getAttribute('data-section')).toBe('acquiring')
    const mainLane = container.querySelector('[data-thread="main"]')!
    expect(mainLane.querySelector('[data-section]')?.getAttribute('data-section')).toBe('active')
  })

  it('ob_gc_bits, immortal and freed status', () => {
    const trace = run(DEFERRED)
    const p = trace.length
    const { container } = show(trace, p)
    expect(row(container, 'G', 'gc')).toBe('ob_gc_bits TRACKED|SHARED|DEFERRED')
    expect(row(container, 'NONE', 'local')).toBe('ob_ref_local 0xFFFFFFFF (immortal)')
    expect(row(container, 'NONE', 'status')).toBe('status IMMORTAL: never freed')
    expect(row(container, 'NONE', 'flags')).toBe('ob_flags 0x4 STATIC')
    expect(card(container, 'NONE').getAttribute('class')).toContain('card-immortal')
    expect(row(container, 'F', 'status')).toBe('status FREED by main')
    expect(card(container, 'F').getAttribute('class')).toContain('card-freed')
  })

  it('objects not created yet are placeholders in their final place', () => {
    const trace = run(QUEUED)
    const { container } = show(trace, 0)
    expect(card(container, 'O').getAttribute('aria-label')).toBe('O, object: not created yet.')
    expect(card(container, 'G').getAttribute('aria-label')).toContain('owner main')
  })

  it('each card has a text equivalent summarising its header', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'decref.queue')
    const { container } = show(trace, p)
    const label = card(container, 'O').getAttribute('aria-label')!
    expect(label).toContain('owner main')
    expect(label).toContain('ob_ref_local 2')
    expect(label).toContain('ob_ref_shared count 0 · QUEUED, raw 0b10')
    expect(label).toContain('changed in this step: ob_ref_shared')
  })
})

describe('changed fields', () => {
  it('highlights exactly the rows the step wrote', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'brc.merge')
    const { container } = show(trace, p)
    const changed = [...card(container, 'O').querySelectorAll('[data-changed="true"]')].map((e) => e.getAttribute('data-row'))
    expect(changed.sort()).toEqual(['local', 'shared', 'tid'])
    expect(card(container, 'Q').querySelectorAll('[data-changed="true"]')).toHaveLength(0)
    // The merge also emptied main's queue: that part of the lane is marked in its description.
    const lane = container.querySelector('[data-thread="main"]')!
    expect(lane.getAttribute('aria-label')).toContain('merge queue empty')
  })

  it('keeps the highlight when the move snaps (a jump or reduced motion)', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'decref.queue')
    const { container } = render(<Scene trace={trace} position={p} previousPosition={0} reducedMotion={true} speed={1} />)
    expect(card(container, 'O').querySelector('[data-row="shared"]')?.getAttribute('data-changed')).toBe('true')
    expect(container.querySelectorAll('[data-tween]')).toHaveLength(0)
  })
})

describe('references', () => {
  it('deferred-tagged references look different from counted ones', () => {
    const trace = run(DEFERRED)
    const p = after(trace, 'load.deferred', 1) // T1: g = G.f, a tagged reference to F
    const { container } = show(trace, p)
    const t1 = container.querySelector('[data-thread="T1"]')!
    const chips = [...t1.querySelectorAll('.chip')]
    const g = chips.find((c) => c.textContent?.startsWith('g'))!
    expect(g.getAttribute('data-ref')).toBe('tagged')
    expect(g.textContent).toContain('(tagged)')
    const main = container.querySelector('[data-thread="main"]')!
    const f = [...main.querySelectorAll('.chip')].find((c) => c.textContent?.startsWith('f'))!
    expect(f.getAttribute('data-ref')).toBe('counted')
    const tagged = container.querySelectorAll('path[data-ref="tagged"]')
    const counted = container.querySelectorAll('path[data-ref="counted"]')
    expect(tagged.length).toBeGreaterThan(0)
    expect(counted.length).toBeGreaterThan(0)
    for (const a of tagged) expect(a.getAttribute('class')).toContain('arrow-tagged')
    for (const a of counted) expect(a.getAttribute('class')).not.toContain('arrow-tagged')
    expect(tagged[0]!.getAttribute('marker-end')).not.toBe(counted[0]!.getAttribute('marker-end'))
  })

  it('container items are arrows from the card', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'dict.store')
    const { container } = show(trace, p)
    expect(row(container, 'G', 'items')).toBe('refs to q:Q')
    expect(container.querySelectorAll('path[data-ref="slot"]')).toHaveLength(1)
  })
})

describe('the model’s own check', () => {
  it('flags a count that no longer matches the references that exist (a lost update)', () => {
    const trace = run(LOST_UPDATE)
    const p = after(trace, 'incref.write', 2) // T1 writes back a stale value: main's +1 is lost
    const o = objectOf(trace, p, 'O')
    expect(o.refcnt).not.toBe(o.refs)
    const { container } = show(trace, p)
    expect(row(container, 'O', 'status')).toBe(`status count ${o.refcnt}, but ${o.refs} refs exist!`)
    expect(card(container, 'O').getAttribute('class')).toContain('card-gap')
    expect(card(container, 'O').getAttribute('aria-label')).toContain(`the count says ${o.refcnt} but ${o.refs} references exist`)
  })
})

describe('other modes', () => {
  it('gil mode shows a single ob_refcnt and who holds the GIL', () => {
    const trace = run(HANDOFF, 'gil')
    const p = after(trace, 'incref')
    const { container } = show(trace, p)
    const l = card(container, 'L')
    expect(l.querySelector('[data-row="refcnt"]')?.textContent).toBe(`ob_refcnt${objectOf(trace, p, 'L').refcnt}`)
    expect(l.querySelector('[data-row="tid"]')).toBeNull()
    expect(l.querySelector('[data-row="shared"]')).toBeNull()
    // The default build's PyObject has no ob_mutex, and nothing here locks one.
    expect(l.querySelector('[data-row="mutex"]')).toBeNull()
    const main = container.querySelector('[data-thread="main"]')!
    expect(main.getAttribute('aria-label')).toContain('holds the GIL')
    expect(container.querySelector('.banner')?.getAttribute('aria-label')).toContain('GIL: held by main')
  })

  it('unsafe mode shows the register holding a value read from ob_refcnt', () => {
    const trace = run(HANDOFF, 'unsafe')
    const p = after(trace, 'incref.read')
    const { container } = show(trace, p)
    const main = container.querySelector('[data-thread="main"]')!
    expect(main.textContent).toContain('register: L.ob_refcnt read = 1')
  })
})

describe('the SVG', () => {
  it('has a title and a description', () => {
    const trace = run(QUEUED)
    const { container } = show(trace, 3)
    const svg = container.querySelector('svg.scene-svg')!
    const title = svg.querySelector(':scope > title')!
    expect(title.textContent).toBe('Threads and objects after step 3')
    expect(svg.getAttribute('aria-labelledby')).toBe(title.id)
    expect(svg.querySelector(':scope > desc')?.textContent).toContain('Free-threaded build')
  })
})
