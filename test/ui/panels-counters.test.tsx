// Counters: every number is the engine's, totals are the column sums of the per-thread counters,
// and the wall-time estimate follows the cost model (gil: sum; otherwise: the longest thread).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { COST, MODES, parseScenario, runScenario, type WorldState } from '../../src/engine'
import { COUNTER_COLUMNS, Counters, NARROW_MAX_THREADS, formatCount, totalCounters, wallCycles } from '../../src/ui/panels/Counters'

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
    expect(headers).toEqual(['Thread', 'Model cycles', 'Plain writes', 'Atomic ops', 'Cache-line transfers', 'Lock acquisitions', 'Contended waits'])
    const rowHeaders = within(table).getAllByRole('rowheader').map((h) => h.textContent)
    expect(rowHeaders.slice(0, -1)).toEqual([...state.threads.map((t) => t.name), 'Total'])
    expect(rowHeaders.at(-1)).toMatch(/^Wall time \(model\)longest thread/)
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
        expect(totalCounters(state).cycles).toBeGreaterThan(0)
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

describe('Counters on a narrow panel', () => {
  // A ResizeObserver driven by the test, on a 300 px box in which the one-row-per-thread table
  // (700 px) overflows and the turned table (280 px) fits.
  const observers: (() => void)[] = []
  const resize = () => act(() => observers.forEach((f) => f()))
  beforeEach(() => {
    class FakeObserver {
      constructor(private readonly cb: ResizeObserverCallback) {
        observers.push(() => this.cb([], this as unknown as ResizeObserver))
      }
      observe(el: Element) {
        if (!el.classList.contains('ctr-scroll')) return
        Object.defineProperty(el, 'clientWidth', { configurable: true, value: 300 })
        Object.defineProperty(el, 'scrollWidth', { configurable: true, get: () => (el.querySelector('.ctr-turned') ? 280 : 700) })
      }
      unobserve() {}
      disconnect() {}
    }
    vi.stubGlobal('ResizeObserver', FakeObserver)
  })
  afterEach(() => {
    observers.length = 0
    vi.unstubAllGlobals()
  })

  it('turns the table: one row per counter, one column per thread, then the total', () => {
    const state = finalState(FILES[0]!, 'gil')
    render(<Counters state={state} mode="gil" />)
    expect(screen.getByTestId('counters')).toHaveAttribute('data-layout', 'by-thread')
    resize()
    expect(screen.getByTestId('counters')).toHaveAttribute('data-layout', 'by-counter')
    const table = screen.getByRole('table', { name: /not a measurement/ })
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Counter', ...state.threads.map((t) => t.name), 'Total'])
    const rows = within(table).getAllByRole('row').slice(1)
    COUNTER_COLUMNS.forEach((c, i) => {
      const row = rows[i]!
      expect(within(row).getByRole('rowheader')).toHaveTextContent(c.label)
      const expected = [...state.threads.map((t) => t.counters[c.key]), state.threads.reduce((a, t) => a + t.counters[c.key], 0)]
      expect(cellsOf(row)).toEqual(expected.map(formatCount))
    })
    const cycles = state.threads.reduce((a, t) => a + t.counters.cycles, 0)
    expect(screen.getByTestId('wall-time').querySelector('.ctr-num')).toHaveTextContent(new RegExp(`^${formatCount(cycles)}$`))
    expect(rows.at(-1)).toHaveTextContent(/sum over threads/)
    // Once the turned table is measured and fits, the box stops being a tab stop.
    const region = screen.getByRole('region', { name: /^Cost counters per thread/ })
    expect(region).toHaveAttribute('tabindex', '0')
    resize()
    expect(region).not.toHaveAttribute('tabindex')
    expect(screen.getByTestId('counters')).toHaveAttribute('data-layout', 'by-counter')
  })

  it('keeps one row per thread when there are many threads', () => {
    const base = finalState(FILES[0]!, 'free-threaded')
    const many = Array.from({ length: NARROW_MAX_THREADS + 1 }, (_, i) => ({ ...base.threads[i % base.threads.length]!, index: i, name: `T${i}` }))
    const state = { ...base, threads: many }
    render(<Counters state={state} mode="free-threaded" />)
    resize()
    expect(screen.getByTestId('counters')).toHaveAttribute('data-layout', 'by-thread')
    expect(within(screen.getByRole('table')).getAllByRole('rowheader').slice(0, -2).map((h) => h.textContent)).toEqual(many.map((t) => t.name))
    // It overflows, so it stays reachable by keyboard.
    expect(screen.getByRole('region', { name: /^Per-thread cost counters/ })).toHaveAttribute('tabindex', '0')
  })
})
