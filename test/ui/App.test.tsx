import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { App } from '../../src/app/App'
import type { BuiltinScenario } from '../../src/app/scenarios'

const handoff: BuiltinScenario = {
  id: 'handoff',
  file: 'handoff.scenario',
  text: [
    'title: A reference crosses threads',
    'threads: main, T1',
    '',
    'main: x = list() as L   # <b>not bold</b>',
    'main: G.shared = x',
    'T1:   y = G.shared',
    'T1:   del y',
    '',
  ].join('\n'),
}

const broken: BuiltinScenario = {
  id: 'broken',
  file: 'broken.scenario',
  text: 'title: Broken\nthreads: main\nmain: frobnicate the heap\n',
}

const scenarios = [broken, handoff]

function visit(search: string) {
  window.history.replaceState(null, '', `/${search}`)
}

describe('App', () => {
  it('lists the scenarios and shows the first one by default', () => {
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Scenarios' })
    const links = within(nav).getAllByRole('link')
    expect(links).toHaveLength(2)
    expect(links[0]).toHaveAttribute('aria-current', 'page')
    expect(links[1]).toHaveTextContent('A reference crosses threads')
  })

  it('shows the trace of the selected scenario, one row per micro-step', () => {
    visit('?scenario=handoff')
    render(<App scenarios={scenarios} />)
    const table = screen.getByRole('table', { name: /one row per micro-step/i })
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent)
    expect(headers).toEqual(['#', 'Thread', 'Line', 'Op', 'CPython', 'Narration'])
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.length).toBeGreaterThan(0)
    expect(within(rows[0]!).getAllByRole('cell')[1]).toHaveTextContent('main')
    expect(screen.getByTestId('outcome')).toHaveTextContent(/micro-steps/)
  })

  it('renders scenario text as text, never as HTML', () => {
    visit('?scenario=handoff')
    const { container } = render(<App scenarios={scenarios} />)
    expect(container.querySelector('b')).toBeNull()
    expect(screen.getByRole('region', { name: 'Scenario text' })).toHaveTextContent('<b>not bold</b>')
  })

  it('shows parse errors with line and column', () => {
    visit('?scenario=broken')
    render(<App scenarios={scenarios} />)
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent(/does not parse/)
    expect(alert).toHaveTextContent(/broken\.scenario:3:\d+: \S/)
  })

  it('says so when the URL names an unknown scenario or mode', () => {
    visit('?scenario=nope&mode=quantum')
    render(<App scenarios={scenarios} />)
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent)
    expect(alerts.some((t) => t?.includes('No built-in scenario is named “nope”'))).toBe(true)
    expect(alerts.some((t) => t?.includes('Unknown mode “quantum”'))).toBe(true)
  })

  it('switches mode and scenario through the URL', async () => {
    const user = userEvent.setup()
    visit('?scenario=handoff')
    render(<App scenarios={scenarios} />)
    const select = screen.getByLabelText('Mode')
    expect(select).toHaveValue('free-threaded')
    await user.selectOptions(select, 'gil')
    expect(window.location.search).toBe('?scenario=handoff&mode=gil')
    expect(screen.getByLabelText('Mode')).toHaveValue('gil')
    expect(screen.getByRole('table', { name: /one row per micro-step/i })).toBeInTheDocument()

    await user.click(screen.getByRole('link', { name: /broken/ }))
    expect(window.location.search).toBe('?scenario=broken&mode=gil')
    expect(screen.getByRole('link', { name: /broken/ })).toHaveAttribute('aria-current', 'page')

    act(() => {
      window.history.back()
    })
    await screen.findByRole('table', { name: /one row per micro-step/i })
  })

  it('is usable from the keyboard', async () => {
    const user = userEvent.setup()
    visit('?scenario=broken')
    render(<App scenarios={scenarios} />)
    const link = screen.getByRole('link', { name: /A reference crosses threads/ })
    link.focus()
    await user.keyboard('{Enter}')
    expect(window.location.search).toBe('?scenario=handoff')
  })
})
