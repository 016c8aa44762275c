import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectUrl, viewOfState } from '../../src/app/history'
import { createExplorerStore } from '../../src/store/explorerStore'
import { handoff, queued } from './fixtures/scenarios'

function start(search = '?v=1&story=queued') {
  window.history.replaceState(null, '', `/${search}`)
  const store = createExplorerStore({ source: queued })
  let clock = 0
  const onNavigate = vi.fn()
  const connection = connectUrl(store, { onNavigate, throttleMs: 400, now: () => clock })
  return {
    store,
    connection,
    onNavigate,
    advanceTime: (ms: number) => {
      clock += ms
      vi.advanceTimersByTime(ms)
    },
  }
}

const params = () => new URLSearchParams(window.location.search)

afterEach(() => {
  vi.useRealTimers()
})

describe('URL ⇄ store', () => {
  it('describes the store as a URL view', () => {
    const store = createExplorerStore({ source: queued, mode: 'gil', compareMode: 'atomic', position: 4, speed: 2 })
    expect(viewOfState(store.getState())).toEqual({
      story: 'queued',
      scenarioText: null,
      step: 4,
      mode: 'gil',
      compare: 'atomic',
      speed: 2,
      autoplay: false,
    })
    store.getState().load({ id: 'custom', file: 'edited.scenario', text: 'threads: main\n' })
    expect(viewOfState(store.getState())).toMatchObject({ story: null, scenarioText: 'threads: main\n' })
  })

  it('adds a history entry for another scenario, mode, compare mode and for jumps', () => {
    const { store, connection } = start()
    const length = window.history.length
    store.getState().load(handoff)
    expect(window.history.length).toBe(length + 1)
    expect(params().get('story')).toBe('handoff')
    expect(params().get('v')).toBe('1')
    store.getState().setMode('gil')
    store.getState().setCompareMode('unsafe')
    expect(window.history.length).toBe(length + 3)
    expect(window.location.search).toBe('?v=1&story=handoff&mode=gil&compare=unsafe')
    store.getState().toEnd()
    expect(window.history.length).toBe(length + 4)
    store.getState().seek(2, 'jump')
    expect(window.history.length).toBe(length + 5)
    expect(params().get('step')).toBe('2')
    connection.disconnect()
  })

  it('replaces the entry for single steps and speed changes', () => {
    const { store, connection } = start()
    const length = window.history.length
    store.getState().stepForward()
    store.getState().stepForward()
    expect(params().get('step')).toBe('2')
    store.getState().stepBack()
    expect(params().get('step')).toBe('1')
    store.getState().setSpeed(4)
    expect(params().get('speed')).toBe('4')
    expect(window.history.length).toBe(length)
    connection.disconnect()
  })

  it('throttles replaceState while playing or scrubbing and writes the final step when it stops', () => {
    vi.useFakeTimers()
    const { store, connection, advanceTime } = start()
    const replace = vi.spyOn(window.history, 'replaceState')
    store.getState().play()
    for (let i = 0; i < 10; i++) {
      store.getState().advance()
      advanceTime(50)
    }
    expect(replace.mock.calls.length).toBeLessThanOrEqual(3)
    store.getState().pause()
    expect(params().get('step')).toBe('10')
    store.getState().seek(3, 'scrub')
    store.getState().seek(4, 'scrub')
    store.getState().seek(5, 'scrub')
    advanceTime(500)
    expect(params().get('step')).toBe('5')
    replace.mockRestore()
    connection.disconnect()
  })

  it('hands Back/Forward to onNavigate without recording what it changes', () => {
    const { store, connection, onNavigate } = start()
    store.getState().load(handoff)
    const length = window.history.length
    onNavigate.mockImplementation(() => store.getState().load(queued))
    window.dispatchEvent(new PopStateEvent('popstate'))
    expect(onNavigate).toHaveBeenCalledTimes(1)
    expect(store.getState().source?.id).toBe('queued')
    expect(window.history.length).toBe(length)
    expect(params().get('story')).toBe('handoff') // the URL is what the browser navigated to
    connection.disconnect()
    window.dispatchEvent(new PopStateEvent('popstate'))
    expect(onNavigate).toHaveBeenCalledTimes(1)
  })

  it('does nothing while running quietly', () => {
    const { store, connection } = start()
    const before = window.location.href
    connection.quietly(() => store.getState().load(handoff))
    expect(window.location.href).toBe(before)
    connection.disconnect()
  })
})
