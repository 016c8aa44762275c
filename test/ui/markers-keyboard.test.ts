import { describe, expect, it } from 'vitest'
import { simulate } from '../../src/store/explorerStore'
import { commandForKey, keyBelongsToTarget, SHORTCUTS } from '../../src/ui/player/keyboard'
import { adjacentMarker, clusterMarkers, findMarkers, markerKindOf, type Marker } from '../../src/ui/player/markers'
import { deadlock, queued } from './fixtures/scenarios'

function traceOf(source: typeof queued) {
  const sim = simulate(source, null)
  if (sim.kind !== 'ok') throw new Error('did not run')
  return sim.trace
}

describe('timeline markers', () => {
  it('maps the engine’s micro-step kinds to marker kinds', () => {
    expect(markerKindOf('decref.queue')).toBe('queue')
    expect(markerKindOf('brc.queue')).toBe('queue')
    expect(markerKindOf('brc.merge')).toBe('merge')
    expect(markerKindOf('gc.merge-queued')).toBe('merge')
    expect(markerKindOf('merge.zero')).toBe('merge')
    expect(markerKindOf('dealloc')).toBe('free')
    expect(markerKindOf('gc.free')).toBe('free')
    expect(markerKindOf('cs.park')).toBe('contention')
    expect(markerKindOf('mutex.park')).toBe('contention')
    expect(markerKindOf('incref.local')).toBeNull()
  })

  it('finds the queueing, merge and free of the queued-then-merged story, at the position after each step', () => {
    const trace = traceOf(queued)
    const markers = findMarkers(trace)
    expect(markers.map((m) => m.kind)).toEqual(expect.arrayContaining(['queue', 'merge', 'free']))
    for (const m of markers) {
      expect(markerKindOf(trace.steps[m.position - 1]!.op)).toBe(m.kind)
      expect(m.label).toMatch(new RegExp(`at step ${m.position} \\(`))
      expect(m.detail).toBe(trace.steps[m.position - 1]!.narration)
    }
  })

  it('marks a deadlock at the end of the run', () => {
    const trace = traceOf(deadlock)
    const markers = findMarkers(trace)
    expect(markers.at(-1)).toMatchObject({ kind: 'deadlock', position: trace.length })
    expect(markers.some((m) => m.kind === 'contention')).toBe(true)
  })

  it('merges crowded markers of one kind, counting what each stands for', () => {
    const many: Marker[] = Array.from({ length: 200 }, (_, i) => ({
      kind: i % 2 === 0 ? 'free' : 'queue',
      position: i + 1,
      count: 1,
      label: `m${i}`,
      detail: '',
    }))
    const clustered = clusterMarkers(many, 200, 20)
    expect(clustered.length).toBeLessThanOrEqual(20)
    expect(clustered.reduce((n, m) => n + m.count, 0)).toBe(200)
    expect(clustered.find((m) => m.count > 1)?.label).toMatch(/^\d+ × (free|queued), steps \d+–\d+$/)
    expect(clusterMarkers(many.slice(0, 5), 200, 20)).toHaveLength(5)
  })

  it('finds the next and previous marker', () => {
    const ms = [3, 8, 20].map((position) => ({ kind: 'free' as const, position, count: 1, label: '', detail: '' }))
    expect(adjacentMarker(ms, 0, 1)?.position).toBe(3)
    expect(adjacentMarker(ms, 8, 1)?.position).toBe(20)
    expect(adjacentMarker(ms, 20, 1)).toBeNull()
    expect(adjacentMarker(ms, 8, -1)?.position).toBe(3)
    expect(adjacentMarker(ms, 3, -1)).toBeNull()
  })
})

describe('keyboard map', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
    commandForKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods })

  it('covers play, steps (with clicker keys), ends, speed, markers and help', () => {
    expect(key(' ')).toBe('toggle-play')
    expect(key('k')).toBe('toggle-play')
    for (const k of ['ArrowRight', 'l', 'PageDown', '.']) expect(key(k)).toBe('step-forward')
    for (const k of ['ArrowLeft', 'j', 'PageUp', ',']) expect(key(k)).toBe('step-back')
    expect(key('Home')).toBe('start')
    expect(key('End')).toBe('end')
    expect(key('+')).toBe('faster')
    expect(key('-')).toBe('slower')
    expect(key(']')).toBe('next-marker')
    expect(key('[')).toBe('previous-marker')
    expect(key('?')).toBe('help')
  })

  it('leaves other keys and browser shortcuts alone', () => {
    expect(key('ArrowDown')).toBeNull()
    expect(key('Tab')).toBeNull()
    expect(key('a')).toBeNull()
    expect(key('ArrowLeft', { altKey: true })).toBeNull()
    expect(key('l', { ctrlKey: true })).toBeNull()
    expect(key('k', { metaKey: true })).toBeNull()
  })

  it('lists every command once in the help table', () => {
    const commands = SHORTCUTS.map((s) => s.command)
    expect(new Set(commands).size).toBe(commands.length)
  })

  it('leaves keys to form controls, except the player’s own scrubber', () => {
    const el = (html: string) => {
      const div = document.createElement('div')
      div.innerHTML = html
      return div.firstElementChild!
    }
    expect(keyBelongsToTarget(el('<input type="text">'), 'ArrowLeft')).toBe(true)
    expect(keyBelongsToTarget(el('<textarea></textarea>'), ' ')).toBe(true)
    expect(keyBelongsToTarget(el('<select></select>'), 'ArrowRight')).toBe(true)
    expect(keyBelongsToTarget(el('<input type="radio">'), 'ArrowRight')).toBe(true)
    expect(keyBelongsToTarget(el('<input type="range" data-player-scrubber>'), 'ArrowRight')).toBe(false)
    expect(keyBelongsToTarget(el('<input type="range">'), 'ArrowRight')).toBe(true)
    expect(keyBelongsToTarget(el('<button></button>'), ' ')).toBe(true)
    expect(keyBelongsToTarget(el('<button></button>'), 'Enter')).toBe(true)
    expect(keyBelongsToTarget(el('<button></button>'), 'ArrowRight')).toBe(false)
    expect(keyBelongsToTarget(el('<div tabindex="0"></div>'), ' ')).toBe(false)
    expect(keyBelongsToTarget(null, ' ')).toBe(false)
  })
})
