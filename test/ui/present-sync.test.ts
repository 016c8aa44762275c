import { describe, expect, it } from 'vitest'
import { presenterKey } from '../../src/present/keys'
import { connectPresenterSync } from '../../src/present/sync'
import { createExplorerStore } from '../../src/store/explorerStore'
import { queued } from './fixtures/scenarios'

const settle = () => new Promise((r) => setTimeout(r, 30))
const key = (k: string, extra: Partial<{ ctrlKey: boolean; defaultPrevented: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  ...extra,
})

describe('presenter sync over BroadcastChannel', () => {
  it('keeps two stores in step both ways, with blanking, and stops when disconnected', async () => {
    const channel = `test-${Math.random()}`
    const presenter = createExplorerStore({ source: queued, position: 4 })
    const notes = createExplorerStore({ source: queued })
    const blanks: boolean[] = []
    const a = connectPresenterSync(presenter, 'presenter', () => undefined, channel)
    const b = connectPresenterSync(notes, 'notes', (blank) => blanks.push(blank), channel)
    await settle()
    // The notes window said hello; the presenter answered with its view.
    expect(notes.getState().position).toBe(4)
    presenter.getState().stepForward()
    await settle()
    expect(notes.getState().position).toBe(5)
    notes.getState().stepBack()
    notes.getState().stepBack()
    await settle()
    expect(presenter.getState().position).toBe(3)
    presenter.getState().setMode('gil')
    await settle()
    expect(notes.getState().modeOverride).toBe('gil')
    a.setBlank(true)
    await settle()
    expect(blanks).toEqual([true])
    b.disconnect()
    presenter.getState().seek(9)
    await settle()
    expect(notes.getState().position).toBe(3)
    a.disconnect()
  })

  it('ignores malformed messages on the channel', async () => {
    const channel = `test-${Math.random()}`
    const store = createExplorerStore({ source: queued, position: 2 })
    const s = connectPresenterSync(store, 'notes', () => undefined, channel)
    const other = new BroadcastChannel(channel)
    for (const m of [null, 'x', { type: 'view', from: 'z', position: -1, source: null, mode: null, compare: null }, { type: 'view', from: 'z', position: 3, source: { id: 1 }, mode: null, compare: null }, { type: 'view', from: 'z', position: 3, source: null, mode: 'warp', compare: null }]) {
      other.postMessage(m)
    }
    await settle()
    expect(store.getState().position).toBe(2)
    expect(store.getState().source?.id).toBe(queued.id)
    other.close()
    s.disconnect()
  })
})

describe('presenter keys', () => {
  it('maps clicker keys and B', () => {
    expect(presenterKey(key('PageDown'))).toBe('forward')
    expect(presenterKey(key('ArrowDown'))).toBe('forward')
    expect(presenterKey(key('PageUp'))).toBe('back')
    expect(presenterKey(key('b'))).toBe('blank')
    expect(presenterKey(key('B'))).toBe('blank')
    expect(presenterKey(key('Escape'))).toBe('unblank')
    expect(presenterKey(key('x'))).toBeNull()
    expect(presenterKey(key('b', { ctrlKey: true }))).toBeNull()
    expect(presenterKey(key('PageDown', { defaultPrevented: true }))).toBeNull()
  })
})
