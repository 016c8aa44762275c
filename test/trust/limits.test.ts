// Resource limits: a scenario or a link that asks for a million threads, statements, objects or
// steps is refused with a message, quickly, instead of freezing the tab. The player's own limits
// (PLAYER_LIMITS, far below the engine's) bound what one page runs on its main thread.

import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { LIMITS, parseScenario } from '../../src/engine'
import { decodeScenario, encodeScenario, parseUrl } from '../../src/app/url'
import { applyView } from '../../src/app/view'
import { parseEmbedOptions } from '../../src/embed/options'
import { parseCommand } from '../../src/embed/messages'
import { decompressScenario } from '../../src/playground/share'
import { createExplorerStore, lastPosition, PLAYER_LIMITS, simulate } from '../../src/store/explorerStore'

/** Runs `f` and returns its result and how long it took. */
function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now()
  const value = f()
  return { value, ms: performance.now() - t0 }
}

// Far above what these take here (a few to a few hundred ms), far below a frozen tab.
const QUICK_MS = 3_000

const source = (text: string) => ({ id: 'custom', file: 'edited.scenario', text })

function refusal(text: string) {
  const { value: sim, ms } = timed(() => simulate(source(text), null))
  expect(ms).toBeLessThan(QUICK_MS)
  expect(sim.kind).toBe('parse-error')
  if (sim.kind !== 'parse-error') throw new Error('not refused')
  expect(sim.errors).toHaveLength(1)
  return sim.errors[0]!
}

describe('the engine refuses huge scenarios with a message', () => {
  it('a million threads', () => {
    const text = `threads: ${Array.from({ length: 1_000_000 }, (_, i) => `T${i}`).join(', ')}\nT0: pass\n`
    const { value, ms } = timed(() => parseScenario(text))
    expect(ms).toBeLessThan(QUICK_MS)
    expect(value.ok).toBe(false)
    expect(value.errors[0]!.message).toMatch(/limit/)
  })

  it('a million statements', () => {
    const { value, ms } = timed(() => parseScenario('threads: main\n' + 'main: pass\n'.repeat(1_000_000)))
    expect(ms).toBeLessThan(QUICK_MS)
    expect(value.ok).toBe(false)
    expect(value.errors[0]!.message).toContain(`the limit is ${LIMITS.maxSourceLength}`)
  })

  it('many objects with the same default label parse in linear time (was quadratic: 12 s for 20,000)', () => {
    const { value, ms } = timed(() => parseScenario('threads: main\n' + 'main: v = list()\n'.repeat(20_000)))
    expect(value.ok).toBe(true)
    if (value.ok) expect(value.scenario.objects.at(-1)!.label).toBe('v_20000')
    expect(ms).toBeLessThan(QUICK_MS)
  })
})

describe('the player runs at most PLAYER_LIMITS', () => {
  it('refuses a scenario longer than maxSourceLength before parsing it', () => {
    const e = refusal('threads: main\n' + 'main: pass\n'.repeat(PLAYER_LIMITS.maxSourceLength / 10))
    expect(e.message).toMatch(/characters long; the player runs at most 100,000/)
    expect([e.line, e.column]).toEqual([1, 1])
  })

  it('refuses more than maxStatements statements, pointing at the first one too many', () => {
    const n = PLAYER_LIMITS.maxStatements
    const e = refusal('threads: main\n' + 'main: pass\n'.repeat(n + 1))
    expect(e.message).toBe(`too many statements: the player runs at most ${n.toLocaleString('en')}`)
    expect(e.line).toBe(n + 2)
  })

  it('refuses more than maxObjects objects, pointing at the first one too many', () => {
    const n = PLAYER_LIMITS.maxObjects
    const e = refusal('threads: main\n' + Array.from({ length: n + 1 }, (_, i) => `main: v${i} = list()\n`).join(''))
    expect(e.message).toBe(`too many objects: the player runs at most ${n}`)
    expect(e.line).toBe(n + 2)
  })

  it('stops a run at maxSteps with an error outcome the results show', () => {
    const text = 'threads: main, T1\n' + Array.from({ length: 4_000 }, (_, i) => (i % 2 ? 'main: gc.collect()' : 'T1: gc.collect()')).join('\n') + '\n'
    const { value: sim, ms } = timed(() => simulate(source(text), null))
    expect(ms).toBeLessThan(QUICK_MS)
    if (sim.kind !== 'ok') throw new Error(sim.kind)
    expect(sim.trace.length).toBe(PLAYER_LIMITS.maxSteps)
    expect(sim.trace.outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/stopped after 20,000 micro-steps/) })
  })

  it('the costliest shape within the limits (many objects, a collection per statement) stays quick in every mode', () => {
    const objects = PLAYER_LIMITS.maxObjects
    const lines = ['threads: main, T1', ...Array.from({ length: objects }, (_, i) => `main: v${i} = list()`)]
    for (let i = lines.length; i < PLAYER_LIMITS.maxStatements; i++) lines.push(i % 2 ? 'main: gc.collect()' : 'T1: gc.collect()')
    const text = lines.join('\n') + '\n'
    expect(text.length).toBeLessThanOrEqual(PLAYER_LIMITS.maxSourceLength)
    for (const mode of ['free-threaded', 'gil'] as const) {
      const { value: sim, ms } = timed(() => simulate(source(text), mode))
      expect(sim.kind).toBe('ok')
      expect(ms).toBeLessThan(QUICK_MS)
    }
  })
})

describe('links and embeds that ask for too much', () => {
  it('step=1e12 and a 400-digit step are past the end: clamped, with a note', () => {
    for (const step of ['1000000000000', '9'.repeat(400)]) {
      const parsed = parseUrl(`?v=1&step=${step}`)
      expect(Number.isSafeInteger(parsed.view.step)).toBe(true)
      const store = createExplorerStore()
      const notices = applyView(store, parsed, [{ id: 'a', file: 'a.scenario', text: 'threads: main\nmain: x = list()\nmain: del x\n' }])
      const last = lastPosition(store.getState())
      expect(store.getState().position).toBe(last)
      expect(notices.map((n) => n.key)).toEqual(['clamped'])
    }
  })

  it('a huge speed plays at the top speed, with a note', () => {
    const parsed = parseUrl('?speed=1e308')
    expect(parsed.view.speed).toBe(16)
    expect(parsed.problems).toEqual([{ kind: 'speed', value: '1e308', used: 16 }])
  })

  it('a 3 MB #scenario= fragment decodes, and the player refuses it with a message, quickly', () => {
    const text = 'threads: main\n' + 'main: pass\n'.repeat(300_000)
    const hash = `#scenario=${encodeScenario(text)}`
    expect(hash.length).toBeGreaterThan(3_000_000)
    const { value: parsed, ms } = timed(() => parseUrl('?v=1', hash))
    expect(ms).toBeLessThan(QUICK_MS)
    expect(parsed.view.scenarioText).toBe(text)
    const store = createExplorerStore()
    const { ms: applyMs } = timed(() => applyView(store, parsed, []))
    expect(applyMs).toBeLessThan(QUICK_MS)
    const sim = store.getState().sim
    expect(sim?.kind).toBe('parse-error')
    expect(sim?.kind === 'parse-error' && sim.errors[0]!.message).toMatch(/the player runs at most/)
  })

  it('a playground link (#s=) that inflates to 100 MB is refused with a sentence, quickly', async () => {
    const bomb = deflateSync(Buffer.alloc(100_000_000, 'a'), { level: 9 }).toString('base64url')
    expect(bomb.length).toBeLessThan(200_000)
    const t0 = performance.now()
    const decoded = await decompressScenario(bomb)
    expect(performance.now() - t0).toBeLessThan(QUICK_MS)
    expect(decoded).toEqual({ ok: false, message: expect.stringMatching(/larger than any scenario/) })
  })

  it('a damaged giant fragment is refused with a sentence', () => {
    const decoded = decodeScenario('A'.repeat(4_000_001))
    expect(decoded).toEqual({ ok: false, message: expect.stringMatching(/not valid base64url/) })
  })

  it('an embed with a huge inline scenario or step is refused or clamped with a message', () => {
    const big = parseEmbedOptions(() => null, 'main: pass\n'.repeat(20_000))
    expect(big.options.scenarioText).toBeNull()
    expect(big.problems[0]).toMatchObject({ key: 'scenario', tone: 'error', message: expect.stringMatching(/limit is 100000/) })
    const step = parseEmbedOptions((n) => (n === 'step' ? '1000000000000' : n === 'story' ? 'x' : null))
    expect(step.options.step).toBe(0)
    expect(step.problems.map((p) => p.key)).toEqual(['step'])
  })

  it('postMessage seeks beyond 1e9 or non-integers are ignored', () => {
    expect(parseCommand({ type: 'pep703:seek', step: 1e12 })).toBeNull()
    expect(parseCommand({ type: 'pep703:step', delta: 0.5 })).toBeNull()
    expect(parseCommand({ type: 'pep703:seek', step: 12 })).toEqual({ type: 'pep703:seek', step: 12 })
  })
})
