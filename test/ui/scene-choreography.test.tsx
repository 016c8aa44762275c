// The choreography is a pure function from a step to tween descriptors: tested without a DOM.
import { describe, expect, it } from 'vitest'
import { choreograph, planAnimation, shouldAnimate, writeStyle } from '../../src/ui/scene/choreography'
import { namesOf, rowLines, cardContext } from '../../src/ui/scene/format'
import { layoutScene, valueRect } from '../../src/ui/scene/layout'
import { animationDuration, totalDuration, tweenFrame, type Tween } from '../../src/ui/scene/tween'
import { DEFERRED, HANDOFF, QUEUED, SECTIONS, after, run } from './scene-fixtures'

type TraceT = ReturnType<typeof run>
const D = 1000

function tweensAt(trace: TraceT, position: number): Tween[] {
  const layout = layoutScene(trace, 1280)
  const names = namesOf(trace)
  const before = trace.stateAt(position - 1)
  const afterState = trace.stateAt(position)
  return choreograph({ step: trace.steps[position - 1]!, before, after: afterState, layout, names, duration: D })
}

function idOf(trace: TraceT, label: string): number {
  return trace.final.objects.find((o) => o.label === label)!.id
}

describe('choreography', () => {
  it('an owner incref is a plain token from its lane to ob_ref_local; the old value fades as it lands', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'incref.local')
    const layout = layoutScene(trace, 1280)
    const tw = tweensAt(trace, p)
    const token = tw.find((t) => t.kind === 'token')!
    expect(token.style).toBe('plain')
    expect(token.label).toBe('+1 (owner)')
    expect(token.thread).toBe(0)
    const q = layout.cards[idOf(trace, 'Q')]!
    const target = valueRect(q, layout.card, 'local')
    expect(token.to.x).toBe(target.x + 6)
    expect(token.to.y).toBe(target.y + target.h / 2)
    const lane = layout.lanes[0]!
    expect(token.from.y).toBe(lane.name.y + lane.name.h / 2)
    const cover = tw.find((t) => t.kind === 'cover')!
    const before = trace.stateAt(p - 1)
    const o = before.objects[idOf(trace, 'Q')]!
    expect(cover.lines).toEqual(rowLines('local', o, cardContext(before, o, namesOf(trace))))
    expect(cover.lines).toEqual(['1'])
    // The cover starts fading when the token is about to land.
    expect(cover.delayMs).toBeLessThan(token.delayMs + token.durationMs)
    expect(cover.delayMs + cover.durationMs).toBeGreaterThan(token.delayMs + token.durationMs)
  })

  it('a non-owner incref is an atomic token into ob_ref_shared', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'incref.shared')
    const token = tweensAt(trace, p).find((t) => t.kind === 'token')!
    expect(token.style).toBe('atomic')
    expect(token.thread).toBe(1)
    expect(token.label).toBe('+1 atomic, state → MAYBE_WEAKREF (not owner)')
  })

  it('a queued decref changes only the state; the push moves the object into the owner’s queue', () => {
    const trace = run(QUEUED)
    const q = after(trace, 'decref.queue')
    const token = tweensAt(trace, q).find((t) => t.kind === 'token')!
    expect(token.style).toBe('atomic')
    expect(token.label).toBe('atomic state → QUEUED (not owner)')
    const push = after(trace, 'brc.queue')
    const layout = layoutScene(trace, 1280)
    const ghost = tweensAt(trace, push).find((t) => t.kind === 'ghost')!
    const card = layout.cards[idOf(trace, 'O')]!
    const slot = layout.lanes[0]!.queue[0]!
    expect(ghost.label).toBe('O')
    expect([ghost.from.x, ghost.from.y, ghost.from.w, ghost.from.h]).toEqual([card.x, card.y, card.w, card.h])
    expect([ghost.to.x, ghost.to.y, ghost.to.w, ghost.to.h]).toEqual([slot.x, slot.y, slot.w, slot.h])
  })

  it('a merge takes the object out of the queue, folds local into shared, then clears the owner', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'brc.merge')
    const tw = tweensAt(trace, p)
    const ghost = tw.find((t) => t.kind === 'ghost')!
    const fold = tw.find((t) => t.kind === 'token' && t.style === 'fold')!
    expect(fold.label).toBe('local 2')
    expect(ghost.delayMs).toBeLessThan(fold.delayMs)
    const covers = tw.filter((t) => t.kind === 'cover')
    const byText = (s: string) => covers.find((c) => c.lines?.[0]?.startsWith(s))!
    const local = byText('2')
    const shared = byText('count 0 · QUEUED')
    const tid = byText('main ')
    expect(local.delayMs).toBeLessThan(shared.delayMs)
    expect(shared.delayMs).toBeLessThan(tid.delayMs)
    expect(tw.some((t) => t.kind === 'pulse' && t.label === 'merged')).toBe(true)
  })

  it('a free sends the card back to its heap block', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'dealloc')
    const layout = layoutScene(trace, 1280)
    const tw = tweensAt(trace, p)
    const ghost = tw.find((t) => t.kind === 'ghost')!
    expect(ghost.label).toBe('free')
    const block = layout.blocks[trace.final.objects[idOf(trace, 'O')]!.page]![1]!
    expect([ghost.to.x, ghost.to.y]).toEqual([block.x, block.y])
    expect(tw.some((t) => t.kind === 'pulse' && t.to.x === block.x && t.to.y === block.y)).toBe(true)
  })

  it('a lock snaps to its holder’s section; a waiter parks; a hand-off goes from holder to waiter', () => {
    const trace = run(SECTIONS)
    const layout = layoutScene(trace, 1280)
    const a = layout.cards[idOf(trace, 'A')]!
    const lockStep = trace.steps.findIndex((s) => s.op === 'cs.lock' && s.thread === 0 && trace.stateAt(s.index + 1).objects[idOf(trace, 'A')]!.lockedBy === 0) + 1
    const lock = tweensAt(trace, lockStep).find((t) => t.kind === 'lock')!
    const mutex = valueRect(a, layout.card, 'mutex')
    expect(lock.from.y).toBe(mutex.y + mutex.h / 2)
    const section = layout.lanes[0]!.sections[0]!
    expect(lock.to.y).toBe(section.y + section.h / 2)
    expect(lock.thread).toBe(0)

    const park = tweensAt(trace, after(trace, 'cs.park'))
    expect(park.find((t) => t.kind === 'zzz')?.thread).toBe(1)

    const handoff = tweensAt(trace, after(trace, 'cs.unlock', 3)).find((t) => t.kind === 'lock')
    expect(handoff?.from.y).toBe(section.y + section.h / 2)
    expect(handoff?.to.y).toBe(layout.lanes[1]!.sections[0]!.y + layout.lanes[1]!.sections[0]!.h / 2)
    expect(handoff?.thread).toBe(1)
  })

  it('suspended and resumed sections pulse with their new state', () => {
    const trace = run(SECTIONS)
    const park = tweensAt(trace, after(trace, 'cs.park'))
    expect(park.some((t) => t.kind === 'pulse' && t.label === 'begin')).toBe(true)
  })

  it('the world stopping and restarting sweeps across the lanes', () => {
    const trace = run(DEFERRED)
    const stop = tweensAt(trace, after(trace, 'gc.stop')).find((t) => t.kind === 'sweep')!
    const restart = tweensAt(trace, after(trace, 'gc.restart')).find((t) => t.kind === 'sweep')!
    expect(stop.label).toBe('stop the world')
    expect(stop.to.y).toBeGreaterThan(stop.from.y)
    expect(restart.label).toBe('start the world')
    expect(restart.to.y).toBeLessThan(restart.from.y)
  })

  it('gil mode: the GIL travels from the holder to the home slot and on to the next thread', () => {
    const trace = run(HANDOFF, 'gil')
    const layout = layoutScene(trace, 1280)
    const drop = tweensAt(trace, after(trace, 'gil.drop')).find((t) => t.kind === 'gil')!
    expect([drop.from.x, drop.from.y]).toEqual([layout.lanes[0]!.gil!.x, layout.lanes[0]!.gil!.y])
    expect([drop.to.x, drop.to.y]).toEqual([layout.gilHome!.x, layout.gilHome!.y])
    const take = tweensAt(trace, after(trace, 'gil.take')).find((t) => t.kind === 'gil')!
    expect([take.to.x, take.to.y]).toEqual([layout.lanes[1]!.gil!.x, layout.lanes[1]!.gil!.y])
    const incref = tweensAt(trace, after(trace, 'incref')).find((t) => t.kind === 'token')!
    expect(incref.style).toBe('plain')
  })

  it('unsafe mode: the read goes from ob_refcnt to the register, the write back with the written value', () => {
    const trace = run(HANDOFF, 'unsafe')
    const read = tweensAt(trace, after(trace, 'incref.read')).find((t) => t.kind === 'token')!
    expect(read.style).toBe('read')
    expect(read.label).toBe('read 1')
    const write = tweensAt(trace, after(trace, 'incref.write')).find((t) => t.kind === 'token')!
    expect(write.style).toBe('write')
    expect(write.label).toBe('write 2')
  })

  it('atomic mode writes ob_refcnt atomically', () => {
    expect(writeStyle('refcnt', 'atomic')).toBe('atomic')
    expect(writeStyle('refcnt', 'gil')).toBe('plain')
    expect(writeStyle('local', 'free-threaded')).toBe('plain')
    expect(writeStyle('shared', 'free-threaded')).toBe('atomic')
    const trace = run(HANDOFF, 'atomic')
    const token = tweensAt(trace, after(trace, 'incref.atomic')).find((t) => t.kind === 'token')!
    expect(token.style).toBe('atomic')
  })

  it('every label is an engine value: deltas match the recorded old and new values', () => {
    const trace = run(QUEUED)
    for (let p = 1; p <= trace.length; p++) {
      const step = trace.steps[p - 1]!
      for (const t of tweensAt(trace, p)) {
        if (t.kind !== 'token' || (t.style !== 'plain' && t.style !== 'atomic')) continue
        const m = /^([+−])(\d+)/.exec(t.label)
        if (!m) continue
        const delta = (m[1] === '+' ? 1 : -1) * Number(m[2])
        const c = step.changes.find((x) => x.target === 'object' && (x.field === 'local' || x.field === 'shared' || x.field === 'refcnt'))!
        expect((c.value as number) - (c.old as number)).toBe(delta)
      }
    }
  })

  it('stays within the step’s duration', () => {
    const trace = run(QUEUED)
    for (let p = 1; p <= trace.length; p++) expect(totalDuration(tweensAt(trace, p))).toBeLessThanOrEqual(D + 1e-9)
  })
})

describe('when to animate', () => {
  const trace = run(QUEUED)
  const layout = layoutScene(trace, 1280)
  const names = namesOf(trace)

  it('only a move of exactly +1 animates', () => {
    expect(shouldAnimate({ position: 5, previousPosition: 4, reducedMotion: false, speed: 1 }, trace.length)).toBe(true)
    expect(planAnimation(trace, { position: 5, previousPosition: 4, reducedMotion: false, speed: 1 }, layout, names).length).toBeGreaterThan(0)
    for (const previousPosition of [3, 5, 6, 0]) {
      expect(planAnimation(trace, { position: 5, previousPosition, reducedMotion: false, speed: 1 }, layout, names)).toEqual([])
    }
  })

  it('reduced motion produces no tweens', () => {
    for (let p = 1; p <= trace.length; p++) {
      expect(planAnimation(trace, { position: p, previousPosition: p - 1, reducedMotion: true, speed: 1 }, layout, names)).toEqual([])
    }
  })

  it('animations shorten as the speed grows', () => {
    expect(animationDuration(1)).toBeGreaterThan(animationDuration(2))
    expect(animationDuration(2)).toBeGreaterThan(animationDuration(16))
    // At the highest speed a step lasts 500/16 ms: the animation fits inside it.
    expect(animationDuration(16)).toBeLessThan(500 / 16)
    expect(animationDuration(0.25)).toBeLessThanOrEqual(1400)
  })
})

describe('tween frames', () => {
  const tw: Tween = {
    key: 'k',
    kind: 'token',
    style: 'plain',
    label: '+1',
    thread: 0,
    from: { x: 0, y: 0, w: 0, h: 0, opacity: 1, scale: 1 },
    to: { x: 100, y: 0, w: 0, h: 0, opacity: 0, scale: 2 },
    arc: 0,
    delayMs: 100,
    durationMs: 200,
    ease: 'linear',
    before: 'hidden',
    after: 'hidden',
  }

  it('hides before its delay and after its end, and interpolates between', () => {
    expect(tweenFrame(tw, 50).visible).toBe(false)
    const mid = tweenFrame(tw, 200)
    expect(mid.visible).toBe(true)
    expect(mid.x).toBeCloseTo(50)
    expect(mid.opacity).toBeCloseTo(0.5)
    expect(mid.scale).toBeCloseTo(1.5)
    expect(tweenFrame(tw, 300).visible).toBe(false)
    expect(tweenFrame({ ...tw, after: 'to' }, Infinity)).toMatchObject({ visible: true, x: 100, t: 1 })
    expect(tweenFrame({ ...tw, before: 'from' }, 0)).toMatchObject({ visible: true, x: 0, t: 0 })
  })

  it('arcs lift the path in the middle and land exactly', () => {
    const arced = { ...tw, arc: 0.2 }
    expect(tweenFrame(arced, 200).y).toBeLessThan(0)
    expect(tweenFrame({ ...arced, after: 'to' }, 300).y).toBe(0)
  })
})
