// Counters: every number is the engine's, totals are the column sums of the per-thread counters,
// and the wall-time estimate follows the cost model (gil: sum; otherwise: the longest thread).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { COST, MODES, parseScenario, runScenario, type WorldState } from '../../src/engine'
import { COUNTER_COLUMNS, Counters, formatCount, totalCounters, wallCycles } from '../../src/ui/panels/Counters'

const root = join(import.meta.dirname, '..', '..')

function finalState(file: string, mode: (typeof MODES)[number]): WorldState {
  const parsed = parseScenario(readFileSync(join(root, file), 'utf8'), file)
  if (!parsed.ok) throw new Error(`${file} does not parse`)
  const trace = runScenario(parsed.scenario, { mode })
  return trace.stateAt(trace.steps.length)
}

const FILES = [
  'stories/examples/02-reference-crosses-threads.scenario',
  'stories/examples/06-critical-sections.scenario',
  'test/scenarios/facts/fact-34-contended-lock-parks.scenario',
]

function cellsOf(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole('cell')
    .map((c) => (c.querySelector('.ctr-num') ?? c).textContent ?? '')
}

describe('Counters', () => {
  it('is an accessible table, labelled as a model', () => {
    const state = finalState(FILES[0]!, 'free-threaded')
    render(<Counters state={state} mode="free-threaded" />)
    const table = screen.getByRole('table', { name: /model cycles, illustrative, not a measurement/ })
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent)
    expect(headers).toEqual(['Thread', 'Plain writes', 'Atomic ops', 'Cache-line transfers', 'Lock acquisitions', 'Contended waits', 'Model cycles'])
    expect(within(table).getAllByRole('rowheader').map((h) => h.textContent)).toEqual([...state.threads.map((t) => t.name), 'Total', 'Wall time (model)'])
    expect(screen.getByTestId('counters')).toHaveTextContent(/Model cycles are illustrative, not a measurement/)
    expect(screen.getByTestId('counters')).toHaveTextContent(`GIL hand-off ${formatCount(COST.gilHandoff)}`)
    // The scroll container can be reached by keyboard and is named by the caption.
    expect(screen.getByRole('region', { name: /Per-thread cost counters/ })).toHaveAttribute('tabindex', '0')
  })

  for (const file of FILES) {
    for (const mode of MODES) {
      it(`shows the engine's numbers for ${file.split('/').pop()} in ${mode} mode`, () => {
        const state = finalState(file, mode)
        render(<Counters state={state} mode={mode} />)
        const table = screen.getByRole('table')
        const rows = within(table).getAllByRole('row').slice(1)
        // One row per thread, then Total, then Wall time.
        state.threads.forEach((t, i) => {
          expect(cellsOf(rows[i]!)).toEqual(COUNTER_COLUMNS.map((c) => formatCount(t.counters[c.key])))
        })
        const total = rows[state.threads.length]!
        const sums = COUNTER_COLUMNS.map((c) => state.threads.reduce((a, t) => a + t.counters[c.key], 0))
        expect(cellsOf(total)).toEqual(sums.map(formatCount))
        expect(totalCounters(state)).toEqual(Object.fromEntries(COUNTER_COLUMNS.map((c, i) => [c.key, sums[i]])))

        const cycles = state.threads.map((t) => t.counters.cycles)
        const expected = mode === 'gil' ? cycles.reduce((a, b) => a + b, 0) : Math.max(...cycles)
        expect(wallCycles(state, mode)).toBe(expected)
        expect(screen.getByTestId('wall-time').querySelector('.ctr-num')).toHaveTextContent(new RegExp(`^${formatCount(expected)}$`))
        expect(rows[state.threads.length + 1]).toHaveTextContent(mode === 'gil' ? /sum over threads/ : /longest thread/)
        expect(sums[5]).toBeGreaterThan(0)
      })
    }
  }

  it('draws each thread’s cycles as a bar relative to the wall time', () => {
    const state = finalState(FILES[0]!, 'free-threaded')
    const { container } = render(<Counters state={state} mode="free-threaded" />)
    const bars = [...container.querySelectorAll<HTMLElement>('tbody .ctr-bar-fill')].map((b) => parseFloat(b.style.width))
    const wall = wallCycles(state, 'free-threaded')
    expect(bars).toEqual(state.threads.map((t) => (t.counters.cycles / wall) * 100))
    expect(Math.max(...bars)).toBe(100)
    for (const bar of container.querySelectorAll('.ctr-bar')) expect(bar).toHaveAttribute('aria-hidden', 'true')
  })

  it('shows zeros before anything has run', () => {
    const parsed = parseScenario(readFileSync(join(root, FILES[0]!), 'utf8'), 'x')
    if (!parsed.ok) throw new Error('parse')
    const state = runScenario(parsed.scenario).stateAt(0)
    render(<Counters state={state} mode="free-threaded" />)
    expect(screen.getByTestId('wall-time')).toHaveTextContent('0')
  })
})
