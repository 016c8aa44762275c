// The playground inside the app: reachable from the header and from every example and story,
// `edit=1` opens it (lazily) with the text of the link, the story or the saved work; its
// problems are listed at their line and column.

import { render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { App } from '../../src/app/App'
import { encodeScenario } from '../../src/app/url'
import { parseScenario, runScenario } from '../../src/engine'
import { parseProblems, runProblems } from '../../src/playground/problems'
import { compressScenario } from '../../src/playground/share'
import { saveDraft, DEFAULT_LIMITS } from '../../src/playground/storage'
import { broken, deadlock, handoff, queued } from './fixtures/scenarios'

const scenarios = [broken, deadlock, handoff, queued]

function visit(search: string, hash = '') {
  window.history.replaceState(null, '', `/${search}${hash}`)
}

/** The editor's text (CodeMirror renders one .cm-line per line). */
function editorText(): string {
  return [...document.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n')
}

afterEach(() => window.localStorage.clear())

beforeAll(() => {
  // jsdom lays nothing out; CodeMirror measures text ranges, which jsdom's Range lacks.
  const empty = () => Object.assign([], { item: () => null }) as unknown as DOMRectList
  Range.prototype.getClientRects ??= empty
  Range.prototype.getBoundingClientRect ??= () => new DOMRect()
})

describe('the playground in the app', () => {
  it('is linked from the header and from the player of an example', () => {
    visit('?v=1&story=handoff')
    render(<App scenarios={scenarios} />)
    expect(within(screen.getByRole('navigation', { name: 'Site' })).getByRole('link', { name: 'Playground' })).toHaveAttribute('href', '?v=1&edit=1')
    expect(screen.getByRole('link', { name: 'Edit in playground' })).toHaveAttribute('href', '?v=1&edit=1&story=handoff')
  })

  it('links an edited scenario with its text', () => {
    const text = 'threads: main\nmain: x = list()\n'
    visit('?v=1', `#scenario=${encodeScenario(text)}`)
    render(<App scenarios={scenarios} />)
    expect(screen.getByRole('link', { name: 'Edit in playground' })).toHaveAttribute('href', `?v=1&edit=1#scenario=${encodeScenario(text)}`)
  })

  it('opens an example named by story=', async () => {
    visit('?v=1&edit=1&story=handoff')
    render(<App scenarios={scenarios} />)
    await screen.findByRole('heading', { level: 2, name: 'Playground' }, { timeout: 10_000 })
    await waitFor(() => expect(editorText()).toBe(handoff.text))
    expect(screen.getByTestId('player')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Playground' })).toHaveAttribute('aria-current', 'page')
  })

  it('opens the text of a compressed link, and lists its problems', async () => {
    const text = 'threads: main\nmain: x = lsit()\n'
    visit('?v=1&edit=1', `#s=${await compressScenario(text)}`)
    render(<App scenarios={scenarios} />)
    const problems = await screen.findByTestId('problems', {}, { timeout: 10_000 })
    expect(editorText()).toBe(text)
    expect(problems.querySelector('li')).toHaveAttribute('data-line', '2')
    expect(screen.getByTestId('problems-summary')).toHaveTextContent('does not parse')
  })

  it('restores the saved work, and explains a damaged link', async () => {
    saveDraft({ text: 'main: pass\n', originText: 'main: pass\n', originLabel: 'mine', mode: null, exploreMode: null, limits: DEFAULT_LIMITS })
    visit('?v=1&edit=1', '#s=eJzLSM3JyVcozy_KSQEAGgQEXQ')
    render(<App scenarios={scenarios} />)
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 })
    expect(alert).toHaveTextContent(/cannot be read, so the playground shows your saved work/)
    expect(editorText()).toBe('main: pass\n')
  })
})

describe('playground problems', () => {
  it('lists parse errors at their line and column', () => {
    const parsed = parseScenario('threads: main\nmain: x = lsit()\n', 'p')
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parseProblems(parsed.errors)[0]).toMatchObject({ line: 2, column: 11, severity: 'error', source: 'parse' })
  })

  it('lists failed expectations, an unannounced deadlock and findings of a run', () => {
    const text = 'threads: main\nmain: x = list() as L\nexpect L: local=5\nmain: Py_DECREF(x)\nmain: del x\n'
    const parsed = parseScenario(text, 'p')
    if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
    const problems = runProblems(parsed.scenario, runScenario(parsed.scenario))
    expect(problems[0]).toMatchObject({ line: 3, severity: 'error', source: 'expect', message: expect.stringMatching(/^expectation failed: /) })
    expect(problems.some((p) => p.source === 'finding' && /use-after-free/.test(p.message))).toBe(true)

    const dl = parseScenario(deadlock.text.replace(/^expect deadlock.*$/m, ''), 'd')
    if (!dl.ok) throw new Error(dl.errors[0]!.message)
    expect(runProblems(dl.scenario, runScenario(dl.scenario)).some((p) => /unannounced deadlock/.test(p.message))).toBe(true)
  })
})
