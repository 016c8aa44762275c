import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MODES } from '../../src/engine'
import { scenarioStem, toScenarioList } from '../../src/app/scenarios'
import {
  buildUrl,
  decodeScenario,
  EMPTY_VIEW,
  encodeScenario,
  parseUrl,
  URL_FORMAT_VERSION,
  viewHref,
  type UrlView,
} from '../../src/app/url'
import { SPEEDS } from '../../src/store/explorerStore'

describe('URL format v1', () => {
  it('reads every parameter', () => {
    const { view, problems } = parseUrl('?v=1&story=handoff&step=12&mode=gil&compare=atomic&speed=4&autoplay=1')
    expect(problems).toEqual([])
    expect(view).toEqual({
      story: 'handoff',
      scenarioText: null,
      step: 12,
      mode: 'gil',
      compare: 'atomic',
      speed: 4,
      autoplay: true,
    })
  })

  it('reads an empty query as the default view, and a link without v as version 1', () => {
    expect(parseUrl('')).toEqual({ view: EMPTY_VIEW, problems: [] })
    expect(parseUrl('?story=x').view.story).toBe('x')
  })

  it('accepts the old scenario= parameter as an alias of story=', () => {
    expect(parseUrl('?scenario=handoff&mode=unsafe').view).toMatchObject({ story: 'handoff', mode: 'unsafe' })
    expect(parseUrl('?story=a&scenario=b').view.story).toBe('a')
  })

  it('refuses a link of another format version and reads nothing else from it', () => {
    const parsed = parseUrl('?v=2&story=handoff&step=3')
    expect(parsed.problems).toEqual([{ kind: 'version', value: '2' }])
    expect(parsed.view).toEqual(EMPTY_VIEW)
    expect(parseUrl('?v=banana').problems[0]).toEqual({ kind: 'version', value: 'banana' })
  })

  it('reports a bad step, mode, compare mode or speed, and keeps the rest', () => {
    const parsed = parseUrl('?v=1&story=s&step=-3&mode=quantum&compare=GIL&speed=fast')
    expect(parsed.view).toMatchObject({ story: 's', step: null, mode: null, compare: null, speed: null })
    expect(parsed.problems).toEqual([
      { kind: 'step', value: '-3' },
      { kind: 'mode', value: 'quantum' },
      { kind: 'compare', value: 'GIL' },
      { kind: 'speed', value: 'fast', used: 1 },
    ])
    expect(parseUrl('?step=1.5').problems).toEqual([{ kind: 'step', value: '1.5' }])
    expect(parseUrl('?step=').problems).toEqual([{ kind: 'step', value: '' }])
  })

  it('clamps a speed out of range and says so', () => {
    expect(parseUrl('?speed=100')).toMatchObject({ view: { speed: 16 }, problems: [{ kind: 'speed', used: 16 }] })
    expect(parseUrl('?speed=0.1')).toMatchObject({ view: { speed: 0.25 }, problems: [{ kind: 'speed', used: 0.25 }] })
    expect(parseUrl('?speed=0').problems).toEqual([{ kind: 'speed', value: '0', used: 1 }])
    expect(parseUrl('?speed=2x')).toEqual({ view: { ...EMPTY_VIEW, speed: 2 }, problems: [] })
  })

  it('reads autoplay only when it is on', () => {
    expect(parseUrl('?autoplay=1').view.autoplay).toBe(true)
    expect(parseUrl('?autoplay=0').view.autoplay).toBe(false)
    expect(parseUrl('?autoplay=true').view.autoplay).toBe(true)
  })

  it('builds links with v=1, leaving out defaults, keeping a host page’s own parameters', () => {
    expect(buildUrl({ ...EMPTY_VIEW, story: 'a b&c' })).toEqual({ search: '?v=1&story=a+b%26c', hash: '' })
    expect(buildUrl({ ...EMPTY_VIEW, story: 's', step: 0, speed: 1 }).search).toBe('?v=1&story=s')
    expect(buildUrl({ ...EMPTY_VIEW, story: 's', step: 4, mode: 'gil', compare: 'unsafe', speed: 0.5, autoplay: true }).search).toBe(
      '?v=1&story=s&step=4&mode=gil&compare=unsafe&speed=0.5&autoplay=1',
    )
    expect(buildUrl({ ...EMPTY_VIEW, story: 'x' }, '?lang=fr&scenario=old&step=9').search).toBe('?v=1&story=x&lang=fr')
    expect(viewHref(EMPTY_VIEW)).toBe(`?v=${URL_FORMAT_VERSION}`)
  })

  it('puts an edited scenario in the fragment instead of story=', () => {
    const text = 'title: Ünïcødé ✓ 🧵\nthreads: main\nmain: x = list()\n'
    const { search, hash } = buildUrl({ ...EMPTY_VIEW, story: 'ignored', scenarioText: text, step: 2 })
    expect(search).toBe('?v=1&step=2')
    expect(hash).toMatch(/^#scenario=[A-Za-z0-9_-]+$/)
    expect(encodeURIComponent(hash.slice('#scenario='.length))).toBe(hash.slice('#scenario='.length))
    expect(parseUrl(search, hash).view.scenarioText).toBe(text)
  })

  it('round-trips any view', () => {
    const mode = fc.option(fc.constantFrom(...MODES), { nil: null })
    const view: fc.Arbitrary<UrlView> = fc.record({
      story: fc.option(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), { nil: null }),
      scenarioText: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
      step: fc.option(fc.nat({ max: 1_000_000 }).filter((n) => n > 0), { nil: null }),
      mode,
      compare: mode,
      speed: fc.option(fc.constantFrom(...SPEEDS.filter((s) => s !== 1)), { nil: null }),
      autoplay: fc.boolean(),
    })
    fc.assert(
      fc.property(view, (v) => {
        const { search, hash } = buildUrl(v)
        const parsed = parseUrl(search, hash)
        if (v.scenarioText === '') return // an empty edit is refused on the way back in
        expect(parsed.problems).toEqual([])
        expect(parsed.view).toEqual({ ...v, story: v.scenarioText === null ? v.story : null })
      }),
    )
  })
})

describe('scenario text in the fragment', () => {
  it('is base64url of UTF-8', () => {
    expect(encodeScenario('hi?>')).toBe('aGk_Pg')
    expect(decodeScenario('aGk_Pg')).toEqual({ ok: true, text: 'hi?>' })
    expect(decodeScenario('aGk_Pg==')).toEqual({ ok: true, text: 'hi?>' })
  })

  it('handles long texts', () => {
    const text = 'main: pass\n'.repeat(20_000)
    expect(decodeScenario(encodeScenario(text))).toEqual({ ok: true, text })
  })

  it('explains what is wrong with a damaged fragment', () => {
    expect(decodeScenario('')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) })
    expect(decodeScenario('abc$%')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid base64url/) })
    expect(decodeScenario('abcde')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid base64url/) })
    // 0xff 0xfe is not UTF-8.
    expect(decodeScenario('__4')).toMatchObject({ ok: false, message: expect.stringMatching(/UTF-8/) })
    const parsed = parseUrl('?v=1', '#scenario=%%%')
    expect(parsed.problems).toEqual([{ kind: 'fragment', message: expect.stringMatching(/base64url/) }])
  })
})

describe('built-in scenario list', () => {
  it('names scenarios by file stem, sorted', () => {
    expect(scenarioStem('../../stories/examples/handoff.scenario')).toBe('handoff')
    const list = toScenarioList({
      '../../stories/examples/b.scenario': 'B',
      '../../stories/examples/a.scenario': 'A',
    })
    expect(list.map((s) => [s.id, s.file, s.text])).toEqual([
      ['a', 'a.scenario', 'A'],
      ['b', 'b.scenario', 'B'],
    ])
  })
})
