// The interleaving explorer's panel with a fake worker: the request it sends, live progress,
// the report (exhaustive or the limit hit, counts, each outcome with its shortest schedule),
// "Open in animation", cancel, errors and limit validation.

import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { withSchedule, type ExploreResult, type Mode } from '../../src/engine'
import { compactSchedule, ExplorerPanel } from '../../src/playground/ExplorerPanel'
import type { WorkerLike, WorkerReply, WorkerRequest } from '../../src/playground/exploreProtocol'
import { DEFAULT_LIMITS, type ExploreLimitsInput } from '../../src/playground/storage'

const TEXT = 'title: lost update\nmode: unsafe\nthreads: main, T1\nmain: x = object() as O\nmain: G.x = x\nT1: y = G.x\nmain: del x\nT1: del y\n'

class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null
  onerror: ((event: ErrorEvent) => void) | null = null
  requests: WorkerRequest[] = []
  terminated = false
  postMessage(message: WorkerRequest) {
    this.requests.push(message)
  }
  terminate() {
    this.terminated = true
  }
  reply(data: WorkerReply) {
    act(() => this.onmessage?.({ data } as MessageEvent<WorkerReply>))
  }
}

const RESULT: ExploreResult = {
  mode: 'unsafe',
  exhaustive: true,
  limit: null,
  states: 1234,
  schedules: 567,
  transitions: 2345,
  ms: 420,
  outcomes: [
    { kind: 'use-after-free', schedule: ['main', 'main', 'main', 'T1', 'T1', 'main'], message: 'O is used by T1 after main freed it', line: 8, step: 6, count: 3 },
    { kind: 'expectation', schedule: ['main', 'T1'], message: 'O: expected freed=true, actual freed=false', line: 9, step: 2, count: 1 },
  ],
}

function setup(options: { text?: string; parses?: boolean } = {}) {
  let setText: (text: string) => void = () => undefined
  const workers: FakeWorker[] = []
  const onOpen = vi.fn<(text: string, step: number, mode: Mode) => void>()
  function Harness() {
    const [limits, setLimits] = useState<ExploreLimitsInput>(DEFAULT_LIMITS)
    const [mode, setMode] = useState<Mode | null>(null)
    const [text, setTextState] = useState(options.text ?? TEXT)
    setText = setTextState
    return (
      <ExplorerPanel
        text={text}
        parses={options.parses ?? true}
        scenarioMode="unsafe"
        mode={mode}
        onModeChange={setMode}
        limits={limits}
        onLimitsChange={setLimits}
        onOpen={onOpen}
        workerFactory={() => {
          const w = new FakeWorker()
          workers.push(w)
          return w
        }}
      />
    )
  }
  render(<Harness />)
  return { workers, onOpen, user: userEvent.setup(), setText: (text: string) => act(() => setText(text)) }
}

describe('compactSchedule', () => {
  it('writes runs of one thread as name×count', () => {
    expect(compactSchedule(['main', 'main', 'main', 'T1', 'T1', 'main'])).toBe('main×3 T1×2 main')
    expect(compactSchedule([])).toBe('')
    expect(compactSchedule(['T1'])).toBe('T1')
  })
})

describe('ExplorerPanel', () => {
  it('opens a counterexample found in another mode than the scenario header with that mode written in, so its schedule replays', async () => {
    const freeThreaded = TEXT.replace('mode: unsafe\n', '')
    const { workers, onOpen, user, setText } = setup({ text: freeThreaded })
    await user.selectOptions(screen.getByLabelText('Mode'), 'unsafe')
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[0]!.reply({ type: 'done', result: RESULT })
    const uaf = screen.getByTestId('explore-report').querySelector('[data-kind="use-after-free"]') as HTMLElement
    await user.click(within(uaf).getByRole('button', { name: /Open in animation/ }))
    const opened = onOpen.mock.calls[0]![0]
    // The runner drops an explicit schedule when a run overrides the scenario's mode.
    expect(opened).toMatch(/^mode: unsafe$/m)
    expect(opened).toMatch(/^schedule: main main main T1 T1 main$/m)
    setText(opened)
    expect(screen.queryByText(/The scenario has changed since this search/)).toBeNull()
    // Two header lines (mode, schedule) went in after `threads:`: the report's line 8 is now 10.
    expect(screen.getByTestId('explore-report').querySelector('[data-kind="use-after-free"]')).toHaveTextContent('Line 10.')
  })

  it('sends the text, mode and limits to a worker, shows progress, then the report', async () => {
    const { workers, onOpen, user } = setup()
    await user.selectOptions(screen.getByLabelText('Mode'), 'gil')
    await user.clear(screen.getByLabelText('Time budget (seconds)'))
    await user.type(screen.getByLabelText('Time budget (seconds)'), '3')
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    expect(workers).toHaveLength(1)
    expect(workers[0]!.requests).toEqual([
      { text: TEXT, file: 'playground.scenario', mode: 'gil', limits: { maxDepth: 2000, maxStates: 200000, maxSchedules: 1000000, maxMs: 3000 } },
    ])
    expect(screen.getByRole('button', { name: 'Explore interleavings' })).toBeDisabled()
    workers[0]!.reply({ type: 'progress', progress: { states: 12345, schedules: 678, transitions: 9000, ms: 1500 } })
    expect(screen.getByTestId('explore-progress')).toHaveTextContent('Exploring… 12,345 states, 678 schedules, 1.5 s')

    workers[0]!.reply({ type: 'done', result: RESULT })
    expect(workers[0]!.terminated).toBe(true)
    expect(screen.getByTestId('explore-progress')).toHaveTextContent('')
    const report = screen.getByTestId('explore-report')
    expect(within(report).getByRole('heading', { level: 3 })).toHaveTextContent('Found 2 kinds of failure')
    expect(within(report).getByRole('heading', { level: 3 })).toHaveFocus()
    expect(screen.getByTestId('explore-summary')).toHaveTextContent(
      'Exhaustive: every reachable interleaving was explored. 567 schedules and 1,234 distinct states explored (2,345 transitions) in 0.4 s, in unsafe mode.',
    )
    const uaf = report.querySelector('[data-kind="use-after-free"]') as HTMLElement
    expect(within(uaf).getByRole('heading', { level: 4 })).toHaveTextContent('Use-after-free')
    expect(uaf).toHaveTextContent('O is used by T1 after main freed it')
    expect(uaf).toHaveTextContent('Line 8. Seen in 3 end states. Shortest schedule: 6 steps, shown at step 6:')
    expect(within(uaf).getByText('main×3 T1×2 main')).toBeInTheDocument()
    expect(report.querySelector('[data-kind="expectation"]')).toHaveTextContent('Failed expectation')

    await user.click(within(uaf).getByRole('button', { name: /Open in animation/ }))
    expect(onOpen).toHaveBeenCalledWith(withSchedule(TEXT, RESULT.outcomes[0]!.schedule, 'unsafe'), 6, 'unsafe')
    expect(onOpen.mock.calls[0]![0]).toMatch(/^schedule: main main main T1 T1 main$/m)
    // The schedule line went in after `threads:` (line 3): the report's "Line 8" (T1: del y)
    // follows it to line 9, where the editor now shows that statement.
    expect(uaf).toHaveTextContent('Line 9.')
    expect(TEXT.split('\n')[7]).toBe('T1: del y')
    expect(onOpen.mock.calls[0]![0].split('\n')[8]).toBe('T1: del y')
  })

  it('notes when the text has changed since the search, but not for an opened schedule', async () => {
    const { workers, user, setText } = setup()
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[0]!.reply({ type: 'done', result: RESULT })
    const stale = /has changed since this search/
    expect(screen.getByTestId('explore-report')).not.toHaveTextContent(stale)
    setText(withSchedule(TEXT, ['main', 'T1']))
    expect(screen.getByTestId('explore-report')).not.toHaveTextContent(stale)
    setText(`${TEXT}main: pass\n`)
    expect(screen.getByTestId('explore-report')).toHaveTextContent(stale)
  })

  it('says plainly when nothing went wrong, and when a limit stopped the search', async () => {
    const { workers, user } = setup()
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[0]!.reply({ type: 'done', result: { ...RESULT, outcomes: [] } })
    expect(screen.getByTestId('explore-none')).toHaveTextContent(
      'No use-after-free, leak, deadlock or failed expectation in any interleaving (exhaustive).',
    )
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[1]!.reply({ type: 'done', result: { ...RESULT, outcomes: [], exhaustive: false, limit: 'time' } })
    expect(screen.getByTestId('explore-summary')).toHaveTextContent('Not exhaustive: the search stopped at the time budget')
    expect(screen.getByTestId('explore-none')).toHaveTextContent('in the interleavings explored; raise the limits')
  })

  it('cancels by terminating the worker, and returns focus to Explore', async () => {
    const { workers, user } = setup()
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[0]!.reply({ type: 'progress', progress: { states: 4000, schedules: 10, transitions: 5000, ms: 800 } })
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(workers[0]!.terminated).toBe(true)
    expect(screen.getByTestId('explore-report')).toHaveTextContent(/Cancelled after .* with 4,000 states explored/)
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Explore interleavings' })).toHaveFocus()
    // A late message from the terminated worker changes nothing.
    workers[0]!.reply({ type: 'done', result: RESULT })
    expect(screen.getByTestId('explore-report')).toHaveTextContent('Cancelled')
  })

  it('shows worker errors and a worker that fails to start', async () => {
    const { workers, user } = setup()
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    workers[0]!.reply({ type: 'error', message: 'The explorer stopped: out of memory' })
    expect(screen.getByTestId('explore-report')).toHaveTextContent('The explorer stopped: out of memory')
    await user.click(screen.getByRole('button', { name: 'Explore interleavings' }))
    act(() => workers[1]!.onerror?.({ message: 'failed to load', preventDefault() {} } as ErrorEvent))
    expect(screen.getByTestId('explore-report')).toHaveTextContent(/background worker failed: failed to load/)
  })

  it('refuses limits out of range, and a scenario that does not parse', async () => {
    const { user } = setup()
    const states = screen.getByLabelText('Max states')
    await user.clear(states)
    await user.type(states, '0')
    expect(states).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('A whole number from 1 to 5,000,000.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Explore interleavings' })).toBeDisabled()
    await user.clear(states)
    await user.type(states, '5000')
    expect(states).not.toHaveAttribute('aria-invalid')
    expect(screen.getByRole('button', { name: 'Explore interleavings' })).toBeEnabled()
  })

  it('needs a scenario that parses', () => {
    setup({ parses: false })
    expect(screen.getByRole('button', { name: 'Explore interleavings' })).toBeDisabled()
    expect(screen.getByText(/Fix the scenario’s errors first/)).toBeInTheDocument()
  })
})
