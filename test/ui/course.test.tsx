// The course page, the story view (prose rendered safely, story narration, predict then reveal,
// next/previous, playground and plain view), progress in localStorage, malformed stories.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { act, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../src/app/App'
import { matchesQuery } from '../../src/app/course/Course'
import { PROGRESS_KEY, SKIP_PREDICTIONS_KEY } from '../../src/app/course/progress'
import { BUILTIN_SCENARIOS } from '../../src/app/scenarios'
import { decodeScenario } from '../../src/app/url'
import { buildRegistry } from '../../src/story'
import { registry as bundled } from '../../src/story/bundled'
import { handoff, queued } from './fixtures/scenarios'
import { manualClock } from './helpers'

const FIRST = `---
id: first-story
title: Owners count fast
summary: The owner's increments are plain, non-atomic adds.
order: 1
tags: [reference counting, owners]
pep703: [Biased Reference Counting]
cpython: [_Py_IncRef, _Py_DecRefShared]
minutes: 3
---

Prose with **strong** and \`code\`. <script>window.__pwned = 1</script>

<img src=x onerror="window.__pwned = 2">

A [bad link](javascript:alert(1)) and a [good one](https://peps.python.org/pep-0703/).

\`\`\`scenario
threads: main, T1

main: x = list() as L   #> main creates *L* and owns it.
main: G.x = x
#> predict: T1 reads G.x. Which count changes? | The **shared** count: T1 is not the owner.
T1:   y = G.x
expect L: shared=1
T1:   del y            #> T1 drops its reference again.
\`\`\`

After the run: remember this.
`

const SECOND = `---
id: second-story
title: Locks and sections
summary: One lock per object.
order: 2
tags: [locking]
pep703: [Biased Reference Counting]
cpython: [PyMutex_Lock]
minutes: 5
compare: [gil]
---

The second story.

\`\`\`scenario
threads: main
main: x = list() as L
expect L: owner=main
\`\`\`
`

const BROKEN = `---
id: broken-story
title: Broken
summary: Not a story yet.
order: 3
tags: [x]
pep703: [Biased Reference Counting]
cpython: []
minutes: 2
---

\`\`\`scenario
threads: main
main: x = lsit()
\`\`\`
`

const stories = buildRegistry({
  '../../stories/01-first-story.md': FIRST,
  '../../stories/02-second-story.md': SECOND,
  '../../stories/03-broken-story.md': BROKEN,
})
const goodOnly = buildRegistry({ '../../stories/01-first-story.md': FIRST, '../../stories/02-second-story.md': SECOND })
const scenarios = [handoff, queued]

function visit(search: string, hash = '') {
  window.history.replaceState(null, '', `/${search}${hash}`)
}

const player = () => screen.getByTestId('player')
const step = () => Number(player().getAttribute('data-step'))

beforeEach(() => {
  window.localStorage.clear()
  delete (window as { __pwned?: unknown }).__pwned
})

describe('the course page', () => {
  it('is the home page: every story in order with summary, time, tags and progress', () => {
    visit('')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.getByRole('heading', { level: 2, name: 'The course' })).toBeInTheDocument()
    const list = screen.getByRole('list', { name: 'Stories' })
    const items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(within(items[0]!).getByRole('heading', { level: 3 })).toHaveTextContent('Story 1: Owners count fast')
    expect(within(items[0]!).getByRole('link', { name: /Owners count fast/ })).toHaveAttribute('href', '?v=1&story=first-story')
    expect(items[0]).toHaveTextContent("The owner's increments are plain, non-atomic adds.")
    expect(items[0]).toHaveTextContent('3 min')
    expect(items[0]).toHaveTextContent('reference counting')
    expect(items[0]).toHaveTextContent('Not started')
    expect(items[1]).toHaveTextContent('Locks and sections')
    expect(screen.getByTestId('course-progress')).toHaveTextContent('0 of 2 done. Start: Owners count fast')
    expect(screen.queryByTestId('player')).toBeNull()
  })

  it('filters by title, summary, tag and CPython function as you type', async () => {
    const user = userEvent.setup()
    visit('')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    const search = screen.getByRole('searchbox', { name: 'Search the stories' })
    const titles = () => screen.queryAllByRole('heading', { level: 3 }).map((h) => h.textContent)
    await user.type(search, 'pymutex')
    expect(titles()).toEqual(['Story 2: Locks and sections'])
    expect(screen.getByRole('list', { name: 'Stories' })).toHaveTextContent('CPython: PyMutex_Lock')
    expect(screen.getByText('1 of 2 stories match.')).toBeInTheDocument()
    await user.clear(search)
    await user.type(search, 'OWNERS')
    expect(titles()).toEqual(['Story 1: Owners count fast'])
    await user.clear(search)
    await user.type(search, 'one lock')
    expect(titles()).toEqual(['Story 2: Locks and sections'])
    await user.clear(search)
    await user.type(search, 'nothing like this')
    expect(titles()).toEqual([])
    expect(screen.getByText(/No story matches “nothing like this”/)).toBeInTheDocument()
    await user.clear(search)
    expect(titles()).toHaveLength(2)
  })

  it('matches every word anywhere in the story’s metadata', () => {
    const s = goodOnly.byId('first-story')!
    expect(matchesQuery(s, '_py_decrefshared')).toBe(true)
    expect(matchesQuery(s, 'owner counting')).toBe(true)
    expect(matchesQuery(s, 'owner locking')).toBe(false)
    expect(matchesQuery(s, '   ')).toBe(true)
  })

  it('shows the progress remembered in the browser, and can forget it', async () => {
    window.localStorage.setItem(PROGRESS_KEY, JSON.stringify({ 'first-story': 'done', 'second-story': 'in-progress', junk: 7 }))
    visit('')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    const items = within(screen.getByRole('list', { name: 'Stories' })).getAllByRole('listitem')
    expect(items[0]).toHaveTextContent('Done')
    expect(items[1]).toHaveTextContent('In progress')
    expect(screen.getByTestId('course-progress')).toHaveTextContent('1 of 2 done. Continue: Locks and sections')
    await userEvent.setup().click(screen.getByRole('button', { name: 'Forget my progress' }))
    expect(items[0]).toHaveTextContent('Not started')
    expect(JSON.parse(window.localStorage.getItem(PROGRESS_KEY)!)).toEqual({})
  })

  it('opening a story marks it in progress; reaching the end marks it done', async () => {
    visit('?v=1&story=first-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(JSON.parse(window.localStorage.getItem(PROGRESS_KEY)!)).toEqual({ 'first-story': 'in-progress' })
    await userEvent.setup().click(within(player()).getByRole('button', { name: 'Go to end' }))
    expect(JSON.parse(window.localStorage.getItem(PROGRESS_KEY)!)).toEqual({ 'first-story': 'done' })
  })

  it('lists the stories that could not be read, with a link to their problems', () => {
    visit('')
    render(<App scenarios={scenarios} stories={stories} />)
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('One story could not be read')
    expect(within(alert).getByRole('link', { name: 'stories/03-broken-story.md' })).toHaveAttribute('href', '?v=1&story=broken-story')
    expect(within(screen.getByRole('list', { name: 'Stories' })).getAllByRole('listitem')).toHaveLength(2)
  })

  it('lists the bundled course: every story of stories/*.md, none broken, no id shared with an example', () => {
    expect(bundled.errors).toEqual([])
    expect(bundled.stories.length).toBeGreaterThanOrEqual(17)
    const exampleIds = new Set(BUILTIN_SCENARIOS.map((e) => e.id))
    const stems = bundled.stories.map((s) => s.file.replace(/^.*\//, '').replace(/\.md$/, ''))
    expect(bundled.stories.filter((s) => exampleIds.has(s.meta.id)).map((s) => s.meta.id)).toEqual([])
    expect(stems.filter((s) => exampleIds.has(s))).toEqual([])
    visit('')
    render(<App />)
    expect(within(screen.getByRole('list', { name: 'Stories' })).getAllByRole('listitem')).toHaveLength(bundled.stories.length)
  })
})

describe('a story', () => {
  it('shows the prose beside the player, with HTML in the prose as text, never as markup', () => {
    visit('?v=1&story=first-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.getByRole('heading', { level: 2, name: 'Owners count fast' })).toBeInTheDocument()
    const prose = screen.getByRole('region', { name: 'The story' })
    expect(within(prose).getByText('strong').tagName).toBe('STRONG')
    expect(within(prose).getByText('code').tagName).toBe('CODE')
    expect(prose).toHaveTextContent('<script>window.__pwned = 1</script>')
    expect(prose).toHaveTextContent('<img src=x onerror="window.__pwned = 2">')
    expect(document.querySelector('.story script, .story img, .story [onerror]')).toBeNull()
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined()
    expect(within(prose).queryByRole('link', { name: 'bad link' })).toBeNull()
    expect(prose).toHaveTextContent('A bad link and a good one')
    expect(within(prose).getByRole('link', { name: 'good one' })).toHaveAttribute('href', 'https://peps.python.org/pep-0703/')
    const after = screen.getByRole('region', { name: 'After the run' })
    expect(after).toHaveTextContent('After the run: remember this.')
    expect(after).toHaveTextContent('_Py_DecRefShared')
    expect(player()).toHaveAttribute('data-step', '0')
    expect(window.location.search).toBe('?v=1&story=first-story')
  })

  it('shows the story’s narration of the statement that runs, beside the engine’s', async () => {
    visit('?v=1&story=first-story&step=1')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    const note = screen.getByTestId('story-note')
    expect(within(note).getByTestId('story-narration')).toHaveTextContent('main creates L and owns it.')
    expect(within(note).getByText('L').tagName).toBe('EM')
    await userEvent.setup().click(within(player()).getByRole('button', { name: 'Go to end' }))
    expect(within(note).getByTestId('story-narration')).toHaveTextContent('T1 drops its reference again.')
  })

  it('links the previous and next story, the playground and the plain view', () => {
    visit('?v=1&story=second-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    const pager = screen.getByRole('navigation', { name: 'Previous and next story' })
    expect(within(pager).getByRole('link', { name: /Previous story.*Owners count fast/ })).toHaveAttribute('href', '?v=1&story=first-story')
    expect(within(pager).getByRole('link', { name: /all stories/i })).toHaveAttribute('href', '?v=1')
    const playground = screen.getByRole('link', { name: 'Open in playground' }).getAttribute('href')!
    const decoded = decodeScenario(playground.replace(/^.*#scenario=/, ''))
    expect(decoded.ok && decoded.text).toContain('title: Locks and sections')
    expect(decoded.ok && decoded.text).toContain('main: x = list() as L')
    expect(screen.getByRole('link', { name: 'Plain view' })).toHaveAttribute('href', '?v=1&story=second-story&plain=1')
  })

  it('offers the modes of its compare: field side by side', async () => {
    visit('?v=1&story=second-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    const button = screen.getByRole('button', { name: 'Side by side with gil' })
    expect(button).toHaveAttribute('aria-pressed', 'false')
    await userEvent.setup().click(button)
    expect(button).toHaveAttribute('aria-pressed', 'true')
    expect(player()).toHaveAttribute('data-compare', 'true')
    expect(window.location.search).toContain('compare=gil')
    await userEvent.setup().click(button)
    expect(player()).toHaveAttribute('data-compare', 'false')
  })

  it('has a plain view: the scenario in the ordinary player, without the prose', () => {
    visit('?v=1&story=first-story&plain=1&step=2')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.queryByRole('region', { name: 'The story' })).toBeNull()
    expect(screen.getByRole('heading', { level: 2, name: 'Owners count fast (plain view)' })).toBeInTheDocument()
    expect(player()).toHaveAttribute('data-step', '2')
    expect(screen.getByRole('link', { name: 'Back to the story' })).toHaveAttribute('href', '?v=1&story=first-story')
  })

  it('still opens an example by its own id, in the ordinary player', () => {
    visit('?v=1&story=handoff')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.queryByRole('region', { name: 'The story' })).toBeNull()
    expect(within(screen.getByRole('navigation', { name: 'Scenarios' })).getByRole('link', { name: /A reference crosses threads/ })).toHaveAttribute('aria-current', 'page')
  })

  it('also answers to its file name', () => {
    visit('?v=1&story=02-second-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.getByRole('heading', { level: 2, name: 'Locks and sections' })).toBeInTheDocument()
  })
})

describe('predict, then reveal', () => {
  // The prompt belongs to "T1: y = G.x", the third statement: main's two statements run first.
  async function playToPrompt() {
    const clock = manualClock()
    visit('?v=1&story=first-story')
    render(<App scenarios={scenarios} stories={goodOnly} clock={clock} />)
    const user = userEvent.setup()
    await user.click(within(player()).getByRole('button', { name: 'Play' }))
    for (let i = 0; i < 200 && within(player()).queryByRole('button', { name: 'Pause' }); i++) act(() => clock.tick(100))
    return { clock, user }
  }

  it('pauses playback at the question and answers it on Reveal, announced politely', async () => {
    const { user } = await playToPrompt()
    const at = step()
    expect(at).toBeGreaterThan(0)
    const last = Number(within(player()).getByRole('slider', { name: 'Timeline' }).getAttribute('max'))
    expect(at).toBeLessThan(last)
    const box = screen.getByTestId('predict')
    expect(box).toHaveTextContent('Predict: T1 reads G.x. Which count changes?')
    expect(screen.queryByTestId('predict-answer')).toBeNull()
    const status = screen.getByTestId('predict-status')
    expect(status).toHaveAttribute('aria-live', 'polite')
    expect(status).toHaveTextContent('Predict: T1 reads G.x. Which count changes?')
    await user.click(within(box).getByRole('button', { name: 'Reveal' }))
    expect(screen.getByTestId('predict-answer')).toHaveTextContent('Answer: The shared count: T1 is not the owner.')
    expect(within(screen.getByTestId('predict-answer')).getByText('shared').tagName).toBe('STRONG')
    expect(status).toHaveTextContent('Answer: The shared count')
    expect(step()).toBe(at)
  })

  it('answers when the learner steps past the question; R reveals from the keyboard', async () => {
    const { user } = await playToPrompt()
    const at = step()
    player().focus()
    await user.keyboard('{ArrowRight}')
    expect(step()).toBe(at + 1)
    expect(screen.getByTestId('predict-answer')).toHaveTextContent('The shared count')
    await user.keyboard('{ArrowLeft}')
    expect(screen.getByRole('button', { name: 'Reveal' })).toBeInTheDocument()
    await user.keyboard('r')
    expect(screen.getByTestId('predict-answer')).toBeInTheDocument()
  })

  it('plays on past a question when asked to, and past revealed ones', async () => {
    const { clock, user } = await playToPrompt()
    await user.click(within(player()).getByRole('button', { name: 'Play' }))
    for (let i = 0; i < 200 && within(player()).queryByRole('button', { name: 'Pause' }); i++) act(() => clock.tick(100))
    expect(step()).toBe(Number(within(player()).getByRole('slider', { name: 'Timeline' }).getAttribute('max')))
  })

  it('can be skipped: no pause, answers shown, the choice remembered', async () => {
    const clock = manualClock()
    visit('?v=1&story=first-story')
    const { unmount } = render(<App scenarios={scenarios} stories={goodOnly} clock={clock} />)
    const user = userEvent.setup()
    await user.click(screen.getByRole('checkbox', { name: 'Skip predictions' }))
    expect(window.localStorage.getItem(SKIP_PREDICTIONS_KEY)).toBe('true')
    await user.click(within(player()).getByRole('button', { name: 'Play' }))
    for (let i = 0; i < 200 && within(player()).queryByRole('button', { name: 'Pause' }); i++) act(() => clock.tick(100))
    expect(step()).toBe(Number(within(player()).getByRole('slider', { name: 'Timeline' }).getAttribute('max')))
    unmount()
    visit('?v=1&story=first-story')
    render(<App scenarios={scenarios} stories={goodOnly} />)
    expect(screen.getByRole('checkbox', { name: 'Skip predictions' })).toBeChecked()
    player().focus()
    for (let i = 0; i < 20 && !screen.queryByTestId('predict'); i++) await user.keyboard('{ArrowRight}')
    expect(screen.getByTestId('predict-answer')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Reveal' })).toBeNull()
  })
})

describe('a malformed story', () => {
  it('shows its file, line and problem instead of the story, with a way back', () => {
    visit('?v=1&story=broken-story')
    render(<App scenarios={scenarios} stories={stories} />)
    const alert = screen.getByTestId('story-error')
    expect(alert).toHaveAttribute('role', 'alert')
    expect(alert).toHaveTextContent('The story “broken-story” cannot be shown')
    expect(alert).toHaveTextContent(/stories\/03-broken-story\.md:14:\d+: scenario: /)
    expect(within(alert).getByRole('link', { name: 'Back to all stories' })).toHaveAttribute('href', '?v=1')
    expect(screen.queryByTestId('player')).toBeNull()
  })

  it('shows the real fixtures’ problems the same way', () => {
    const text = readFileSync(path.join(process.cwd(), 'test/story/fixtures/bad-predict.md'), 'utf8')
    const registry = buildRegistry({ '../../stories/04-bad-predict.md': text })
    visit('?v=1&story=bad-predict')
    render(<App scenarios={scenarios} stories={registry} />)
    expect(screen.getByTestId('story-error')).toHaveTextContent(/stories\/04-bad-predict\.md:\d+:\d+: a prediction is written/)
  })
})
