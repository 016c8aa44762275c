// The playground's saved work: round trip, defaults for anything missing or odd, and quiet
// failure when storage is unavailable or full.

import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, DRAFT_KEY, loadDraft, saveDraft, type Draft } from '../../src/playground/storage'

const draft: Draft = {
  text: 'threads: main\nmain: x = list()\n',
  originText: 'threads: main\n',
  originLabel: 'An example',
  mode: 'gil',
  exploreMode: 'unsafe',
  limits: { maxDepth: 500, maxStates: 1_000, maxSchedules: 2_000, seconds: 3 },
}

afterEach(() => window.localStorage.clear())

describe('playground storage', () => {
  it('saves and restores the work (window.localStorage by default)', () => {
    expect(loadDraft()).toBeNull()
    expect(saveDraft(draft)).toBe(true)
    expect(JSON.parse(window.localStorage.getItem(DRAFT_KEY)!)).toMatchObject({ v: 1, text: draft.text })
    expect(loadDraft()).toEqual(draft)
  })

  it('ignores what it cannot read, field by field', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null }
    store.set(DRAFT_KEY, '{not json')
    expect(loadDraft(storage)).toBeNull()
    store.set(DRAFT_KEY, JSON.stringify({ text: 42 }))
    expect(loadDraft(storage)).toBeNull()
    store.set(DRAFT_KEY, JSON.stringify(['a']))
    expect(loadDraft(storage)).toBeNull()
    store.set(DRAFT_KEY, JSON.stringify({ text: 'main: pass', mode: 'quantum', exploreMode: 7, limits: { maxDepth: -1, maxStates: 1.5, maxSchedules: '9', seconds: 30 } }))
    expect(loadDraft(storage)).toEqual({
      text: 'main: pass',
      originText: 'main: pass',
      originLabel: 'your saved text',
      mode: null,
      exploreMode: null,
      limits: { ...DEFAULT_LIMITS, seconds: 30 },
    })
  })

  it('never throws when storage is blocked or full', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
    }
    expect(loadDraft(blocked)).toBeNull()
    expect(saveDraft(draft, blocked)).toBe(false)
    expect(saveDraft(draft, null)).toBe(false)
    expect(loadDraft(null)).toBeNull()
  })
})
