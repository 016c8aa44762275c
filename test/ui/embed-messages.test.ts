import { describe, expect, it } from 'vitest'
import { originAllowed, parseCommand, parseOrigins, runCommand, stepEvent } from '../../src/embed/messages'
import { createExplorerStore } from '../../src/store/explorerStore'
import { queued } from './fixtures/scenarios'

describe('iframe postMessage API', () => {
  it('accepts exactly the four commands', () => {
    expect(parseCommand({ type: 'pep703:play' })).toEqual({ type: 'pep703:play' })
    expect(parseCommand({ type: 'pep703:pause', extra: 1 })).toEqual({ type: 'pep703:pause' })
    expect(parseCommand({ type: 'pep703:step' })).toEqual({ type: 'pep703:step', delta: 1 })
    expect(parseCommand({ type: 'pep703:step', delta: -3 })).toEqual({ type: 'pep703:step', delta: -3 })
    expect(parseCommand({ type: 'pep703:seek', step: 7 })).toEqual({ type: 'pep703:seek', step: 7 })
  })

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'pep703:play',
      42,
      [],
      [{ type: 'pep703:play' }],
      {},
      { type: 'other' },
      { type: 'pep703:step', delta: 1.5 },
      { type: 'pep703:step', delta: '1' },
      { type: 'pep703:step', delta: Number.NaN },
      { type: 'pep703:step', delta: 1e12 },
      { type: 'pep703:seek' },
      { type: 'pep703:seek', step: -1 },
      { type: 'pep703:seek', step: '3' },
    ]
    for (const m of bad) expect(parseCommand(m)).toBeNull()
  })

  it('normalises the origin list and drops what is not an http(s) origin', () => {
    expect(parseOrigins(['https://docs.example.org/path?q, http://localhost:8000', 'javascript:alert(1) * null', 'https://docs.example.org'])).toEqual([
      'https://docs.example.org',
      'http://localhost:8000',
    ])
  })

  it('allows its own origin and listed ones only', () => {
    expect(originAllowed('https://a.example', [], 'https://a.example')).toBe(true)
    expect(originAllowed('https://b.example', ['https://b.example'], 'https://a.example')).toBe(true)
    expect(originAllowed('https://c.example', ['https://b.example'], 'https://a.example')).toBe(false)
    // file:// pages have the origin "null": never trusted as "same origin".
    expect(originAllowed('null', [], 'null')).toBe(false)
  })

  it('runs commands on a store and reports the step', () => {
    const store = createExplorerStore({ source: queued })
    runCommand(store, { type: 'pep703:seek', step: 5 })
    runCommand(store, { type: 'pep703:step', delta: -2 })
    expect(stepEvent(store)).toMatchObject({ type: 'pep703:step', step: 3 })
    runCommand(store, { type: 'pep703:seek', step: 1_000_000 })
    const e = stepEvent(store)
    expect(e.type === 'pep703:step' && e.step === e.total).toBe(true)
    runCommand(store, { type: 'pep703:play' })
    expect(store.getState().playing).toBe(true)
    runCommand(store, { type: 'pep703:pause' })
    expect(store.getState().playing).toBe(false)
  })
})
