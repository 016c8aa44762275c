import { act, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { BASE_STEPS_PER_SECOND, createExplorerStore, lastPosition } from '../../src/store/explorerStore'
import { ExplorerProvider, useExplorer } from '../../src/ui/hooks/explorerContext'
import { Player } from '../../src/ui/player/Player'
import { broken, deadlock, queued } from './fixtures/scenarios'
import { manualClock } from './helpers'

function setup(options: Parameters<typeof createExplorerStore>[0] = {}, label = 'Scenario player') {
  const store = createExplorerStore({ source: queued, ...options })
  const clock = manualClock()
  const utils = render(<Player store={store} clock={clock} label={label} title="Queued" />)
  const player = screen.getByRole('region', { name: label })
  return { store, clock, player, user: userEvent.setup(), ...utils }
}

const last = (store: ReturnType<typeof createExplorerStore>) => lastPosition(store.getState())

describe('Player', () => {
  it('shows the step as text and as data-step on the player element', () => {
    const { player, store } = setup({ position: 3 })
    expect(player).toHaveAttribute('data-testid', 'player')
    expect(player).toHaveAttribute('data-step', '3')
    expect(within(player).getByTestId('step-status')).toHaveTextContent(`Step 3 of ${last(store)}`)
    expect(player).toHaveAttribute('tabindex', '0')
  })

  it('steps, jumps and scrubs with the controls', async () => {
    const { player, store, user } = setup()
    await user.click(within(player).getByRole('button', { name: 'Step forward' }))
    await user.click(within(player).getByRole('button', { name: 'Step forward' }))
    expect(player).toHaveAttribute('data-step', '2')
    await user.click(within(player).getByRole('button', { name: 'Step back' }))
    expect(player).toHaveAttribute('data-step', '1')
    await user.click(within(player).getByRole('button', { name: 'Go to end' }))
    expect(player).toHaveAttribute('data-step', String(last(store)))
    expect(within(player).getByRole('button', { name: 'Step forward' })).toHaveAttribute('aria-disabled', 'true')
    await user.click(within(player).getByRole('button', { name: 'Go to start' }))
    expect(player).toHaveAttribute('data-step', '0')
    fireEvent.change(within(player).getByRole('slider', { name: 'Timeline' }), { target: { value: '9' } })
    expect(player).toHaveAttribute('data-step', '9')
    expect(store.getState().lastMove).toBe('scrub')
  })

  it('plays on its clock at BASE_STEPS_PER_SECOND × speed and pauses at the end', async () => {
    const { player, store, clock, user } = setup()
    await user.click(within(player).getByRole('button', { name: 'Play' }))
    expect(within(player).getByRole('button', { name: 'Pause' })).toBeInTheDocument()
    act(() => clock.tick(1000))
    expect(store.getState().position).toBe(BASE_STEPS_PER_SECOND)
    await user.selectOptions(within(player).getByLabelText('Speed'), '4')
    act(() => clock.tick(1000))
    expect(store.getState().position).toBe(BASE_STEPS_PER_SECOND * 5)
    for (let i = 0; i < 100 && store.getState().playing; i++) act(() => clock.tick(100))
    expect(store.getState().position).toBe(last(store))
    expect(store.getState().playing).toBe(false)
    expect(clock.running()).toBe(0)
    expect(within(player).getByRole('button', { name: 'Play' })).toBeInTheDocument()
  })

  it('skips time after a stall instead of racing through many steps at once', () => {
    const { store, clock } = setup({ autoplay: true, speed: 16 })
    act(() => clock.tick(60_000))
    expect(store.getState().position).toBe(8)
  })

  it('handles keys while it has focus, and only the keys it uses', async () => {
    const { player, store, user } = setup()
    player.focus()
    await user.keyboard('{ArrowRight}{ArrowRight}l.{PageDown}')
    expect(store.getState().position).toBe(5)
    await user.keyboard('{ArrowLeft}j,{PageUp}')
    expect(store.getState().position).toBe(1)
    await user.keyboard('{End}')
    expect(store.getState().position).toBe(last(store))
    await user.keyboard('{Home}')
    expect(store.getState().position).toBe(0)
    await user.keyboard(' ')
    expect(store.getState().playing).toBe(true)
    await user.keyboard('k')
    expect(store.getState().playing).toBe(false)
    await user.keyboard('++')
    expect(store.getState().speed).toBe(4)
    await user.keyboard('-')
    expect(store.getState().speed).toBe(2)
    // Handled keys are taken (preventDefault); others are left to the page.
    expect(fireEvent.keyDown(player, { key: 'ArrowRight' })).toBe(false)
    expect(fireEvent.keyDown(player, { key: 'ArrowDown' })).toBe(true)
    expect(fireEvent.keyDown(player, { key: 'a' })).toBe(true)
    expect(fireEvent.keyDown(player, { key: 'ArrowRight', altKey: true })).toBe(true)
  })

  it('jumps between notable steps with ] and [', async () => {
    const { player, store, user } = setup()
    player.focus()
    await user.keyboard(']')
    const first = store.getState().position
    expect(first).toBeGreaterThan(0)
    const sim = store.getState().sim
    expect(sim?.kind === 'ok' && sim.trace.steps[first - 1]!.op).toMatch(/queue|merge|dealloc|park|free/)
    await user.keyboard(']')
    expect(store.getState().position).toBeGreaterThan(first)
    await user.keyboard('[[')
    expect(store.getState().position).toBe(first)
  })

  it('ignores keys when focus is outside it or in one of its form controls', async () => {
    const { player, store, user } = setup()
    const outside = document.createElement('button')
    document.body.append(outside)
    outside.focus()
    await user.keyboard('{ArrowRight} ')
    expect(store.getState().position).toBe(0)
    expect(fireEvent.keyDown(document.body, { key: 'ArrowRight' })).toBe(true)
    within(player).getByLabelText('Speed').focus()
    await user.keyboard('{ArrowRight}')
    expect(store.getState().position).toBe(0)
    within(player).getByRole('radio', { name: 'gil' }).focus()
    expect(fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' })).toBe(true)
    expect(store.getState().position).toBe(0)
    outside.remove()
  })

  it('steps with arrow keys on its own timeline and on its buttons, without the slider moving twice', async () => {
    const { player, store, user } = setup()
    within(player).getByRole('slider', { name: 'Timeline' }).focus()
    await user.keyboard('{ArrowRight}{ArrowRight}')
    expect(store.getState().position).toBe(2)
    within(player).getByRole('button', { name: 'Step back' }).focus()
    await user.keyboard('{ArrowLeft}')
    expect(store.getState().position).toBe(1)
    // Enter on a button is the button's: it presses it once.
    await user.keyboard('{Enter}')
    expect(store.getState().position).toBe(0)
  })

  it('keeps two players on one page independent', async () => {
    const a = createExplorerStore({ source: queued })
    const b = createExplorerStore({ source: queued })
    const user = userEvent.setup()
    render(
      <>
        <Player store={a} clock={manualClock()} label="First player" />
        <Player store={b} clock={manualClock()} label="Second player" />
      </>,
    )
    const first = screen.getByRole('region', { name: 'First player' })
    const second = screen.getByRole('region', { name: 'Second player' })
    first.focus()
    await user.keyboard('{ArrowRight}{ArrowRight}')
    expect([a.getState().position, b.getState().position]).toEqual([2, 0])
    await user.click(within(second).getByRole('button', { name: 'Go to end' }))
    expect(second).toHaveAttribute('data-step', String(lastPosition(b.getState())))
    expect(first).toHaveAttribute('data-step', '2')
    second.focus()
    await user.keyboard('?')
    expect(within(second).getByRole('dialog')).toBeInTheDocument()
    expect(within(first).queryByRole('dialog')).toBeNull()
  })

  it('opens a help overlay on ?, closes it on Escape and returns focus', async () => {
    const { player, user } = setup()
    player.focus()
    await user.keyboard('?')
    const dialog = within(player).getByRole('dialog', { name: 'Keyboard shortcuts' })
    expect(dialog).toHaveAttribute('aria-modal', 'true')
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus()
    expect(dialog).toHaveTextContent('Page Down')
    await user.keyboard('{ArrowRight}')
    expect(player).toHaveAttribute('data-step', '0') // keys do not reach the player under the dialog
    await user.tab()
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(within(player).queryByRole('dialog')).toBeNull()
    expect(player).toHaveFocus()
    await user.click(within(player).getByRole('button', { name: /Keys/ }))
    await user.click(within(player).getByRole('button', { name: 'Close' }))
    expect(within(player).queryByRole('dialog')).toBeNull()
    expect(within(player).getByRole('button', { name: /Keys/ })).toHaveFocus()
  })

  it('shows markers for notable steps that move the player', async () => {
    const { player, store, user } = setup()
    const group = within(player).getByRole('group', { name: 'Notable steps' })
    const buttons = within(group).getAllByRole('button')
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^queued at step \d+/), expect.stringMatching(/^free at step \d+/)]),
    )
    const free = within(group).getByRole('button', { name: /^free at step/ })
    await user.click(free)
    const step = Number(/step (\d+)/.exec(free.getAttribute('aria-label')!)![1])
    expect(store.getState().position).toBe(step)
    expect(store.getState().lastMove).toBe('jump')
  })

  it('marks a deadlock and reports it as the outcome', () => {
    const { player } = setup({ source: deadlock })
    expect(within(player).getByRole('button', { name: /^deadlock at step/ })).toBeInTheDocument()
    expect(within(player).getAllByRole('button', { name: /^lock wait at step/ }).length).toBeGreaterThan(0)
    expect(within(player).getByTestId('outcome')).toHaveAttribute('data-outcome', 'deadlock')
    expect(within(player).getByTestId('outcome')).toHaveTextContent(/Deadlock/)
  })

  it('shows the outcome and expectations; a step link moves the player', async () => {
    const { player, store, user } = setup()
    expect(within(player).getByTestId('outcome')).toHaveTextContent(/Finished.*micro-steps/)
    await user.click(within(player).getAllByRole('button', { name: /^step \d+$/ })[0]!)
    expect(store.getState().position).toBeGreaterThan(0)
  })

  it('switches mode and shows two modes side by side in lockstep', async () => {
    const { player, store, user } = setup()
    await user.click(within(player).getByRole('radio', { name: 'gil' }))
    const sim = store.getState().sim
    expect(sim?.kind === 'ok' && sim.mode).toBe('gil')
    await user.selectOptions(within(player).getByLabelText('Side by side with'), 'free-threaded')
    const left = within(player).getByRole('region', { name: 'gil mode' })
    const right = within(player).getByRole('region', { name: 'free-threaded mode' })
    await user.click(within(player).getByRole('button', { name: 'Go to end' }))
    const gilLength = sim?.kind === 'ok' ? sim.trace.length : 0
    expect(left).toHaveTextContent(`step ${gilLength} of ${gilLength}`)
    expect(right).toHaveTextContent(/step (\d+) of \1/)
    expect(within(player).getAllByRole('figure')).toHaveLength(2)
  })

  it('applies the theme and motion choices to its root', async () => {
    const { player, user } = setup()
    expect(player).toHaveAttribute('data-theme', 'light') // jsdom has no matchMedia: light, full motion
    expect(player).toHaveAttribute('data-reduced-motion', 'false')
    await user.selectOptions(within(player).getByLabelText('Theme'), 'contrast')
    expect(player).toHaveAttribute('data-theme', 'contrast')
    await user.selectOptions(within(player).getByLabelText('Motion'), 'reduce')
    expect(player).toHaveAttribute('data-reduced-motion', 'true')
  })

  it('highlights the scenario line of the current step', () => {
    const { player, store } = setup({ position: 3 })
    const sim = store.getState().sim
    const line = sim?.kind === 'ok' ? sim.trace.steps[2]!.line : -1
    const active = within(player).getByRole('region', { name: 'Scenario' }).querySelector('[aria-current="step"]')
    expect(active?.textContent).toContain(queued.text.split('\n')[line - 1])
  })

  it('shows parse errors with line and column instead of the scene', () => {
    const { player } = setup({ source: broken })
    const alert = within(player).getByRole('alert')
    expect(alert).toHaveTextContent(/does not parse/)
    expect(alert).toHaveTextContent(/broken\.scenario:3:\d+: \S/)
    expect(within(player).queryByRole('button', { name: 'Play' })).toBeNull()
  })

  it('renders scenario text as text, never as HTML', () => {
    const { container } = setup({ source: { id: 'x', file: 'x.scenario', text: queued.text + '# <b>bold?</b>\n' } })
    expect(container.querySelector('b')).toBeNull()
  })

  it('gives a clear error when a part is used outside a provider', () => {
    function Probe() {
      useExplorer((s) => s.position)
      return null
    }
    const spy = console.error
    console.error = () => undefined
    try {
      expect(() => render(<Probe />)).toThrow(/inside <ExplorerProvider/)
    } finally {
      console.error = spy
    }
    const store = createExplorerStore()
    expect(() =>
      render(
        <ExplorerProvider store={store}>
          <Probe />
        </ExplorerProvider>,
      ),
    ).not.toThrow()
  })
})
