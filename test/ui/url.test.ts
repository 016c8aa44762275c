import { describe, expect, it } from 'vitest'
import { isModeName, MODE_OPTIONS } from '../../src/app/modes'
import { scenarioStem, toScenarioList } from '../../src/app/scenarios'
import { buildSearch, readParams } from '../../src/app/url'

describe('URL parameters', () => {
  it('reads scenario and mode', () => {
    expect(readParams('?scenario=handoff&mode=gil')).toEqual({ scenario: 'handoff', mode: 'gil' })
    expect(readParams('')).toEqual({ scenario: null, mode: null })
  })

  it('builds a query string that round-trips', () => {
    const search = buildSearch({ scenario: 'a b&c', mode: 'unsafe' })
    expect(readParams(search)).toEqual({ scenario: 'a b&c', mode: 'unsafe' })
  })

  it('drops empty values and keeps unrelated parameters', () => {
    expect(buildSearch({ scenario: null, mode: null })).toBe('')
    expect(buildSearch({ scenario: 'x', mode: null }, '?mode=gil&step=3')).toBe('?step=3&scenario=x')
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

  it('knows the four modes', () => {
    expect(MODE_OPTIONS.map((m) => m.value)).toEqual(['free-threaded', 'gil', 'atomic', 'unsafe'])
    expect(isModeName('gil')).toBe(true)
    expect(isModeName('GIL')).toBe(false)
  })
})
