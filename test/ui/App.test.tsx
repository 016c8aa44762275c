import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { App } from '../../src/app/App'
import { encodeScenario } from '../../src/app/url'
import { broken, deadlock, handoff, queued } from './fixtures/scenarios'

const scenarios = [broken, deadlock, handoff, queued]

function visit(search: string, hash = '') {
  window.history.replaceState(null, '', `/${search}${hash}`)
}

const player = () => screen.getByTestId('player')
const alerts = () => screen.queryAllByRole('alert').map((a) => a.textContent ?? '')

describe('App', () => {
  it('opens on the course, and lists the example scenarios beside it', () => {
    visit('')
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 2, name: 'The course' })).toBeInTheDocument()
    expect(screen.queryByTestId('player')).toBeNull()
    const links = within(screen.getByRole('navigation', { name: 'Scenarios' })).getAllByRole('link')
    expect(links).toHaveLength(4)
    expect(links[0]).not.toHaveAttribute('aria-current')
    expect(links[2]).toHaveTextContent('A reference crosses threads')
    expect(links[2]).toHaveAttribute('href', '?v=1&story=handoff')
  })

  it('opens the story, step, mode, compare mode and speed of the URL', () => {
    visit('?v=1&story=queued&step=7&mode=atomic&compare=gil&speed=4')
    render(<App scenarios={scenarios} />)
    expect(player()).toHaveAttribute('data-step', '7')
    expect(within(player()).getByRole('radio', { name: 'atomic' })).toBeChecked()
    expect(within(player()).getByLabelText('Side by side with')).toHaveValue('gil')
    expect(within(player()).getByLabelText('Speed')).toHaveValue('4')
    expect(screen.getByRole('heading', { level: 2, name: /dropped by a thread/ })).toBeInTheDocument()
    expect(alerts()).toEqual([])
  })

  it('reads the old scenario= links', () => {
    visit('?scenario=handoff&mode=gil')
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('link', { name: /A reference crosses threads/ })).toHaveAttribute('aria-current', 'page')
    expect(within(player()).getByRole('radio', { name: 'gil' })).toBeChecked()
  })

  it('autoplays when the link says so', () => {
    visit('?v=1&story=queued&autoplay=1')
    render(<App scenarios={scenarios} />)
    expect(within(player()).getByRole('button', { name: 'Pause' })).toBeInTheDocument()
  })

  it('says so when the URL names an unknown story, and offers a way back', () => {
    visit('?v=1&story=nope')
    render(<App scenarios={scenarios} />)
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('No built-in scenario is named “nope”')
    expect(within(alert).getByRole('link', { name: 'Open the first scenario' })).toHaveAttribute('href', '?v=1&story=broken')
    expect(screen.queryByTestId('player')).toBeNull()
    expect(within(screen.getByRole('navigation', { name: 'Scenarios' })).getAllByRole('link')).toHaveLength(4)
  })

  it('clamps a step past the end and says so', () => {
    visit('?v=1&story=queued&step=9999')
    render(<App scenarios={scenarios} />)
    const step = Number(player().getAttribute('data-step'))
    expect(step).toBeGreaterThan(10)
    const notice = screen.getAllByRole('status').find((el) => el.getAttribute('data-notice') === 'clamped')
    expect(notice).toHaveTextContent(`Step 9999 is past the end of this run, which has ${step} micro-steps`)
  })

  it('explains a bad step, mode and speed, and shows the scenario anyway', async () => {
    visit('?v=1&story=handoff&step=abc&mode=quantum&speed=warp')
    render(<App scenarios={scenarios} />)
    const text = alerts().join('\n')
    expect(text).toContain('“abc” is not a step number')
    expect(text).toContain('Unknown mode “quantum”')
    expect(text).toContain('Speed “warp” is not usable')
    expect(player()).toHaveAttribute('data-step', '0')
    await userEvent.setup().click(screen.getAllByRole('button', { name: 'Dismiss' })[0]!)
    expect(alerts()).toHaveLength(2)
  })

  it('refuses a link of an unknown format version with a clear message', () => {
    visit('?v=7&story=handoff&step=3')
    render(<App scenarios={scenarios} />)
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('This link cannot be replayed')
    expect(alert).toHaveTextContent('v=7')
    expect(within(alert).getByRole('link', { name: 'Open the first scenario' })).toBeInTheDocument()
    expect(screen.queryByTestId('player')).toBeNull()
  })

  it('loads an edited scenario from the fragment, and explains a damaged one', () => {
    visit('?v=1&step=2', `#scenario=${encodeScenario(handoff.text.replace('crosses threads', 'travels'))}`)
    const { unmount } = render(<App scenarios={scenarios} />)
    expect(screen.getByRole('heading', { level: 2, name: 'Edited scenario' })).toBeInTheDocument()
    expect(player()).toHaveAttribute('data-step', '2')
    unmount()
    visit('?v=1', '#scenario=***')
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('alert')).toHaveTextContent('The edited scenario in this link cannot be read')
  })

  it('shows parse errors of a broken scenario', () => {
    visit('?v=1&story=broken')
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('alert')).toHaveTextContent(/broken\.scenario:3:\d+: \S/)
  })

  it('keeps the URL in step: scenario and mode push, steps replace, Back restores', async () => {
    const user = userEvent.setup()
    visit('?v=1&story=handoff')
    render(<App scenarios={scenarios} />)
    const length = window.history.length
    await user.click(within(player()).getByRole('radio', { name: 'gil' }))
    expect(window.location.search).toBe('?v=1&story=handoff&mode=gil')
    await user.click(screen.getByRole('link', { name: /dropped by a thread/ }))
    expect(window.location.search).toBe('?v=1&story=queued&mode=gil')
    expect(window.history.length).toBe(length + 2)
    player().focus()
    await user.keyboard('{ArrowRight}{ArrowRight}')
    expect(window.location.search).toBe('?v=1&story=queued&step=2&mode=gil')
    expect(window.history.length).toBe(length + 2)

    await act(async () => {
      window.history.back()
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }))
    })
    expect(screen.getByRole('link', { name: /A reference crosses threads/ })).toHaveAttribute('aria-current', 'page')
    expect(within(player()).getByRole('radio', { name: 'gil' })).toBeChecked()
    expect(player()).toHaveAttribute('data-step', '0')
  })

  it('runs an edited scenario and puts it in the fragment', async () => {
    const user = userEvent.setup()
    visit('?v=1&story=handoff')
    render(<App scenarios={scenarios} />)
    await user.click(screen.getByText('Edit this scenario'))
    const editor = screen.getByLabelText('Scenario text')
    await user.clear(editor)
    await user.type(editor, 'threads: main{Enter}main: x = list(){Enter}')
    await user.click(screen.getByRole('button', { name: 'Run the edited scenario' }))
    expect(window.location.hash).toBe(`#scenario=${encodeScenario('threads: main\nmain: x = list()\n')}`)
    expect(window.location.search).toBe('?v=1')
    expect(screen.getByRole('heading', { level: 2, name: 'Edited scenario' })).toBeInTheDocument()
  })

  it('is usable from the keyboard', async () => {
    const user = userEvent.setup()
    visit('?v=1&story=broken')
    render(<App scenarios={scenarios} />)
    screen.getByRole('link', { name: /A reference crosses threads/ }).focus()
    await user.keyboard('{Enter}')
    expect(window.location.search).toBe('?v=1&story=handoff')
  })
})
