// Narration: the engine's sentence for the step, "step N of M" and the thread, the outcome at
// the end, and a polite live region that announces only settled changes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseScenario, runScenario, type Mode, type Trace } from '../../src/engine'
import { ANNOUNCE_DELAY_MS, Narration, narrationAt } from '../../src/ui/panels/Narration'

const root = join(import.meta.dirname, '..', '..')

function traceOf(file: string, mode?: Mode): Trace {
  const parsed = parseScenario(readFileSync(join(root, file), 'utf8'), file)
  if (!parsed.ok) throw new Error(`${file} does not parse`)
  return runScenario(parsed.scenario, mode ? { mode } : {})
}

const QUEUED = 'stories/examples/03-queued-then-merged.scenario'

function liveRegion() {
  return within(screen.getByTestId('narration-panel')).getByRole('status')
}

describe('Narration', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('describes the initial state at position 0', () => {
    const trace = traceOf(QUEUED)
    render(<Narration trace={trace} position={0} />)
    const region = liveRegion()
    expect(region).toHaveAttribute('aria-live', 'polite')
    expect(region).toHaveAttribute('aria-atomic', 'true')
    expect(region).toHaveTextContent(`Step 0 of ${trace.steps.length}: Nothing has run yet: main is running, and owns G`)
    expect(region).toHaveTextContent(/T1 has not started/)
    expect(screen.getByText(`Step 0 of ${trace.steps.length}`)).toBeInTheDocument()
  })

  it('shows the engine’s sentence, the step number and the thread', () => {
    const trace = traceOf(QUEUED)
    const i = trace.steps.findIndex((s) => s.op === 'decref.queue')
    const step = trace.steps[i]!
    render(<Narration trace={trace} position={i + 1} />)
    expect(screen.getByText(step.narration)).toBeInTheDocument()
    expect(screen.getByText(`Step ${i + 1} of ${trace.steps.length}`)).toBeInTheDocument()
    expect(liveRegion()).toHaveTextContent(`Step ${i + 1} of ${trace.steps.length}, T1: ${step.narration}`)
    // The visible copy is not announced twice, and its test id holds the visible text only.
    expect(screen.getByText(step.narration).closest('[aria-hidden="true"]')).toBe(screen.getByTestId('narration'))
    expect(screen.getByTestId('narration')).toHaveTextContent(new RegExp(`^Step ${i + 1} of ${trace.steps.length}T1`))
    expect(within(screen.getByTestId('narration')).queryByRole('status')).toBeNull()
  })

  it('adds the outcome at the end', () => {
    const trace = traceOf(QUEUED)
    const n = trace.steps.length
    render(<Narration trace={trace} position={n} />)
    expect(screen.getByText(trace.steps[n - 1]!.narration)).toBeInTheDocument()
    expect(screen.getByText('End of the run: every thread finished.')).toBeInTheDocument()
    expect(liveRegion()).toHaveTextContent(/End of the run: every thread finished\.$/)
  })

  it('reports a deadlock and the engine’s findings at the end', () => {
    const dead = traceOf('test/scenarios/deadlock/mutex-opposite-order-deadlock.scenario')
    expect(dead.outcome.kind).toBe('deadlock')
    render(<Narration trace={dead} position={dead.steps.length} />)
    expect(screen.getByText(/^The run ends in a deadlock: /)).toBeInTheDocument()

    const lost = traceOf('stories/examples/08-lost-update.scenario', 'unsafe')
    const problems = lost.violations.filter((v) => v.kind !== 'deadlock')
    expect(problems.length).toBeGreaterThan(0)
    const { container } = render(<Narration trace={lost} position={lost.steps.length} />)
    expect(container.querySelectorAll('.nr-problems li')).toHaveLength(problems.length)
    expect(within(container).getByRole('status')).toHaveTextContent(new RegExp(`${problems.length} problems? found\\.$`))
  })

  it('clamps positions outside the trace', () => {
    const trace = traceOf(QUEUED)
    expect(narrationAt(trace, -5).position).toBe(0)
    expect(narrationAt(trace, 10_000).position).toBe(trace.steps.length)
    expect(narrationAt(trace, Number.NaN).position).toBe(0)
  })

  it('announces a new step once it has settled, and nothing when the text is unchanged', () => {
    const trace = traceOf(QUEUED)
    const { rerender } = render(<Narration trace={trace} position={1} />)
    const region = liveRegion()
    const mutations: MutationRecord[] = []
    const observer = new MutationObserver((records) => mutations.push(...records))
    observer.observe(region, { childList: true, subtree: true, characterData: true })

    // Re-rendering the same position (a speed change, a theme change) announces nothing.
    rerender(<Narration trace={trace} position={1} />)
    act(() => void vi.advanceTimersByTime(ANNOUNCE_DELAY_MS * 4))
    mutations.push(...observer.takeRecords())
    expect(mutations).toHaveLength(0)

    // Fast playback: 2, 3, 4 in quick succession; only 4 is announced, once.
    for (const p of [2, 3, 4]) {
      rerender(<Narration trace={trace} position={p} />)
      act(() => void vi.advanceTimersByTime(ANNOUNCE_DELAY_MS / 5))
    }
    expect(region).toHaveTextContent(/^Step 1 of/)
    // The visible text follows at once.
    expect(screen.getByText(`Step 4 of ${trace.steps.length}`)).toBeInTheDocument()
    act(() => void vi.advanceTimersByTime(ANNOUNCE_DELAY_MS))
    expect(region).toHaveTextContent(new RegExp(`^Step 4 of ${trace.steps.length}, main: `))
    mutations.push(...observer.takeRecords())
    observer.disconnect()
    const changes = mutations.length
    expect(changes).toBeGreaterThan(0)

    // Settled again: no further announcements.
    const later: MutationRecord[] = []
    const again = new MutationObserver((r) => later.push(...r))
    again.observe(region, { childList: true, subtree: true, characterData: true })
    rerender(<Narration trace={trace} position={4} />)
    act(() => void vi.advanceTimersByTime(ANNOUNCE_DELAY_MS * 4))
    later.push(...again.takeRecords())
    again.disconnect()
    expect(later).toHaveLength(0)
  })

  it('keeps the announcement short: one step, not the whole panel', () => {
    const trace = traceOf(QUEUED)
    render(<Narration trace={trace} position={2} />)
    const text = liveRegion().textContent ?? ''
    expect(text.startsWith('Step 2 of')).toBe(true)
    expect(text).toBe(narrationAt(trace, 2).announcement)
    expect(text.length).toBeLessThan(trace.steps[1]!.narration.length + 40)
  })
})
