import { describe, expect, it } from 'vitest'
import {
  BASE_STEPS_PER_SECOND,
  clampSpeed,
  createExplorerStore,
  lastPosition,
  SPEEDS,
} from '../../src/store/explorerStore'
import { broken, deadlock, handoff, queued } from './fixtures/scenarios'

function lengthOf(store: ReturnType<typeof createExplorerStore>, which: 'sim' | 'compareSim' = 'sim'): number {
  const sim = store.getState()[which]
  if (sim?.kind !== 'ok') throw new Error(`${which} did not run`)
  return sim.trace.length
}

describe('explorer store', () => {
  it('starts empty and loads a scenario at a clamped position', () => {
    const store = createExplorerStore()
    expect(store.getState().sim).toBeNull()
    expect(lastPosition(store.getState())).toBe(0)
    store.getState().load(queued, { position: 5 })
    expect(store.getState().sim?.kind).toBe('ok')
    expect(store.getState().position).toBe(5)
    expect(store.getState().lastMove).toBe('load')
    store.getState().load(queued, { position: 10_000 })
    expect(store.getState().position).toBe(lengthOf(store))
    store.getState().load(queued, { position: -3 })
    expect(store.getState().position).toBe(0)
  })

  it('clamps the initial position and ignores non-finite ones', () => {
    expect(createExplorerStore({ source: queued, position: 1e9 }).getState().position).toBeGreaterThan(0)
    expect(createExplorerStore({ source: queued, position: Number.NaN }).getState().position).toBe(0)
  })

  it('steps, seeks and remembers the previous position and the kind of move', () => {
    const store = createExplorerStore({ source: queued })
    const s = () => store.getState()
    s().stepForward()
    s().stepForward()
    expect([s().position, s().previousPosition, s().lastMove]).toEqual([2, 1, 'step'])
    s().stepBack()
    expect([s().position, s().previousPosition]).toEqual([1, 2])
    s().seek(7, 'scrub')
    expect([s().position, s().lastMove]).toEqual([7, 'scrub'])
    s().seek(3)
    expect(s().lastMove).toBe('jump')
    s().toEnd()
    expect(s().position).toBe(lengthOf(store))
    s().stepForward()
    expect(s().position).toBe(lengthOf(store))
    s().toStart()
    s().stepBack()
    expect(s().position).toBe(0)
    s().seek(2.7)
    expect(s().position).toBe(2)
  })

  it('steps back exactly: the state at p is the same object however it was reached', () => {
    const store = createExplorerStore({ source: queued })
    const sim = store.getState().sim
    if (sim?.kind !== 'ok') throw new Error('no trace')
    const forward = JSON.stringify(sim.trace.stateAt(6))
    store.getState().toEnd()
    store.getState().seek(7)
    store.getState().stepBack()
    expect(JSON.stringify(sim.trace.stateAt(store.getState().position))).toBe(forward)
  })

  it('plays, advances and pauses at the end; a user move pauses', () => {
    const store = createExplorerStore({ source: handoff })
    const s = () => store.getState()
    const last = lengthOf(store)
    s().advance()
    expect(s().position).toBe(0) // not playing: the clock cannot move it
    s().play()
    expect(s().playing).toBe(true)
    s().advance()
    expect([s().position, s().lastMove]).toEqual([1, 'play'])
    s().advance(3)
    expect(s().position).toBe(4)
    s().stepForward()
    expect(s().playing).toBe(false)
    s().togglePlay()
    s().advance(1000)
    expect([s().position, s().playing]).toEqual([last, false])
    // Playing from the end starts over.
    s().play()
    expect([s().position, s().playing]).toEqual([0, true])
    s().togglePlay()
    expect(s().playing).toBe(false)
  })

  it('does not play an empty or broken scenario', () => {
    const store = createExplorerStore({ source: broken, autoplay: true })
    expect(store.getState().sim?.kind).toBe('parse-error')
    expect(store.getState().playing).toBe(false)
    store.getState().play()
    expect(store.getState().playing).toBe(false)
  })

  it('autoplays when asked', () => {
    expect(createExplorerStore({ source: queued, autoplay: true }).getState().playing).toBe(true)
  })

  it('clamps speeds', () => {
    const store = createExplorerStore({ speed: 100 })
    expect(store.getState().speed).toBe(16)
    store.getState().setSpeed(0.01)
    expect(store.getState().speed).toBe(0.25)
    store.getState().setSpeed(Number.NaN)
    expect(store.getState().speed).toBe(1)
    expect(clampSpeed(4)).toBe(4)
    expect(SPEEDS.at(-1)).toBe(16)
    expect(BASE_STEPS_PER_SECOND * 16).toBeGreaterThanOrEqual(30)
  })

  it('switches mode, keeping the position when it still exists and clamping otherwise', () => {
    const store = createExplorerStore({ source: queued })
    store.getState().seek(15)
    store.getState().setMode('gil')
    const sim = store.getState().sim
    expect(sim?.kind === 'ok' && sim.mode).toBe('gil')
    expect(store.getState().position).toBe(15)
    expect(store.getState().previousPosition).toBe(15) // no animation across traces
    store.getState().toEnd()
    store.getState().setMode('unsafe')
    store.getState().setMode('atomic')
    expect(store.getState().position).toBe(lengthOf(store))
    store.getState().setMode(null)
    const back = store.getState().sim
    expect(back?.kind === 'ok' && back.mode).toBe('free-threaded')
  })

  it('runs a second mode in lockstep: one position over the longer trace', () => {
    const store = createExplorerStore({ source: queued, compareMode: 'atomic' })
    const main = lengthOf(store)
    const other = lengthOf(store, 'compareSim')
    expect(main).not.toBe(other)
    expect(lastPosition(store.getState())).toBe(Math.max(main, other))
    store.getState().toEnd()
    expect(store.getState().position).toBe(Math.max(main, other))
    store.getState().setCompareMode(null)
    expect(store.getState().compareSim).toBeNull()
    expect(store.getState().position).toBe(main)
    store.getState().setCompareMode('gil')
    const cmp = store.getState().compareSim
    expect(cmp?.kind === 'ok' && cmp.mode).toBe('gil')
  })

  it('keeps theme and motion preferences', () => {
    const store = createExplorerStore({ theme: 'contrast' })
    expect(store.getState().theme).toBe('contrast')
    expect(store.getState().motion).toBe('system')
    store.getState().setMotion('reduce')
    store.getState().setTheme('dark')
    expect([store.getState().theme, store.getState().motion]).toEqual(['dark', 'reduce'])
  })

  it('records a deadlocking run as a normal trace', () => {
    const store = createExplorerStore({ source: deadlock })
    const sim = store.getState().sim
    expect(sim?.kind === 'ok' && sim.trace.outcome.kind).toBe('deadlock')
  })

  it('is independent per instance', () => {
    const a = createExplorerStore({ source: queued })
    const b = createExplorerStore({ source: queued })
    a.getState().seek(4)
    expect(b.getState().position).toBe(0)
  })
})
