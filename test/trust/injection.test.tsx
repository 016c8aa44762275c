// Injection: no user-controlled text reaches the DOM as HTML. Script and markup payloads go in
// through every entry point (an edited scenario's title, comments, labels, thread names and
// expect lines; a link's story, step, mode, compare, speed, version and fragment; a story's front
// matter, prose, narration and predictions; the embed's attributes and inline text; postMessage
// payloads; the embed code a reader copies) and the page must show them as text: no element,
// attribute or link comes from the payload, nothing runs, and the words appear literally.
// (test/e2e/trust.ts repeats the gist in Chromium, where scripts would really run.)

import { act, render, screen, waitFor, within } from '@testing-library/react'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../src/app/App'
import { encodeScenario } from '../../src/app/url'
import { Markdown, InlineMarkdown } from '../../src/app/course/Markdown'
import { buildRegistry } from '../../src/story'
import { TAG_NAME } from '../../src/embed/element'
import { EmbedView } from '../../src/embed/EmbedView'
import { commandFromEvent, parseOrigins } from '../../src/embed/messages'
import { dedent } from '../../src/embed/options'
import { resolveEmbed, storeOptions } from '../../src/embed/resolve'
import { embedSnippets } from '../../src/embed/snippet'
import { Notes } from '../../src/present/Notes'
import { Presenter } from '../../src/present/Presenter'
import { createExplorerStore } from '../../src/store/explorerStore'
import { queued } from '../ui/fixtures/scenarios'
import { HOSTILE } from './generators'

declare global {
  interface Window {
    __pwned?: unknown
  }
}

/** Tags that payloads try to create; the app itself renders none of them. */
const FOREIGN = 'script, img, iframe, object, embed, link, meta, base, form, input[type=image], frame, frameset'

/**
 * Nothing in `root` came from a payload: no foreign element, no event-handler attribute, no
 * script URL in a link or source, no srcdoc. Shadow roots are searched too.
 */
function expectInert(root: ParentNode): void {
  const all = [...root.querySelectorAll('*')]
  for (const el of all) if (el.shadowRoot) expectInert(el.shadowRoot)
  const foreign = [...root.querySelectorAll(FOREIGN)].filter((el) => !(el instanceof HTMLScriptElement && el.type === 'text/plain'))
  expect(foreign.map((el) => el.outerHTML)).toEqual([])
  // The player's own stylesheets (the embed's shadow root) are fine; one with a payload's rule is not.
  for (const style of root.querySelectorAll('style')) expect(style.textContent).not.toMatch(/__pwned|display:none!important/)
  for (const el of all) {
    for (const attr of el.attributes) {
      expect(attr.name.startsWith('on'), `${el.tagName} has ${attr.name}="${attr.value}"`).toBe(false)
      expect(attr.name === 'srcdoc', `${el.tagName} has srcdoc`).toBe(false)
      if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(attr.name)) {
        expect(attr.value.trim().toLowerCase(), `${el.tagName} ${attr.name}`).not.toMatch(/^(?:javascript|data|vbscript):/)
      }
    }
  }
  expect(window.__pwned).toBeUndefined()
}

/** Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, not in this TS lib). */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')

const flat = (s: string) => s.replace(/\s+/g, ' ').trim()

/** The payload's visible words appear literally somewhere in `root`. */
function expectShown(root: Element, payload: string): void {
  expect(flat(root.textContent ?? '')).toContain(flat(payload))
}

function visit(search: string, hash = '') {
  window.history.replaceState(null, '', `/${search}${hash}`)
}

// The payloads that read as words (the control-character ones are checked for inertness only).
const VISIBLE = HOSTILE.filter((p) => /[a-z]/i.test(p) && !/[\u202e\ufeff]/.test(p) && !p.includes('\0'))

beforeEach(() => {
  delete window.__pwned
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('an edited scenario from a link (#scenario=)', () => {
  for (const payload of VISIBLE) {
    it(`shows ${JSON.stringify(payload)} as text in the title, comments and expect results`, () => {
      const text = `title: ${payload}\n# ${payload}\nthreads: main\nmain: x = list() as L   # ${payload}\nexpect L: local=2\n`
      visit('?v=1', `#scenario=${encodeScenario(text)}`)
      const { container } = render(<App scenarios={[queued]} />)
      expectInert(document.body)
      expectShown(container, `title: ${payload}`)
    })
  }

  it('parse errors that echo hostile names, labels and statements stay text', () => {
    for (const payload of VISIBLE) {
      const text = `threads: main, ${payload}\nmain: x = list() as ${payload}\n${payload}: pass\nmain: ${payload}\n`
      visit('?v=1', `#scenario=${encodeScenario(text)}`)
      const { container, unmount } = render(<App scenarios={[queued]} />)
      expect(screen.getAllByRole('alert').length).toBeGreaterThan(0)
      expectInert(document.body)
      expect(container.textContent).toContain('main')
      unmount()
    }
  })
})

describe('link parameters', () => {
  for (const key of ['story', 'mode', 'compare', 'speed', 'step', 'v']) {
    it(`${key}=<payload> is shown as text in the notice`, () => {
      for (const payload of VISIBLE) {
        visit(`?${key === 'v' ? '' : 'v=1&'}${key}=${encodeURIComponent(payload)}${key === 'story' ? '' : '&story=queued'}`)
        const { container, unmount } = render(<App scenarios={[queued]} />)
        expectInert(document.body)
        expectShown(container, payload)
        unmount()
      }
    })
  }

  it('a damaged fragment is explained as text', () => {
    visit('?v=1', `#scenario=${encodeURIComponent(HOSTILE[0]!)}`)
    render(<App scenarios={[queued]} />)
    expect(screen.getByRole('alert')).toHaveTextContent('cannot be read')
    expectInert(document.body)
  })
})

function story(payload: string, order = 1): string {
  const yaml = JSON.stringify(payload)
  return `---
id: hostile-${order}
title: ${yaml}
summary: ${yaml}
order: ${order}
tags: [${yaml}]
pep703: [Biased Reference Counting]
cpython: [Py_INCREF]
minutes: 3
---

Prose: ${payload}

${payload}

A [link](javascript:window.__pwned=1) and ![image](x" onerror="window.__pwned=1) and <${payload}>.

\`\`\`scenario
title: ${payload.replace(/\n/g, ' ')}
threads: main, T1
#> ${payload}
main: x = list() as L   #> narration ${payload}
main: G.x = x
#> predict: ${payload}? | ${payload}.
T1:   y = G.x
expect L: shared=1
T1:   del y
\`\`\`

After: ${payload}
`
}

describe('stories (front matter, prose, narration, predictions)', () => {
  for (const payload of VISIBLE) {
    it(`${JSON.stringify(payload)}: the course list and the story page show it as text`, async () => {
      const registry = buildRegistry({ 'stories/01-hostile-1.md': story(payload) })
      expect(registry.errors.map((e) => e.message)).toEqual([])
      visit('')
      const first = render(<App scenarios={[queued]} stories={registry} />)
      expectInert(document.body)
      expectShown(first.container, payload)
      first.unmount()

      visit('?v=1&story=hostile-1')
      const { container } = render(<App scenarios={[queued]} stories={registry} />)
      expectInert(document.body)
      // (Markdown decodes entities such as &#x3C; to the character they name: still text.)
      if (!payload.includes('&')) {
        expectShown(container, `Prose: ${payload}`)
        expectShown(container, `After: ${payload}`)
      }
      // Step to the prediction and past it: the question and the answer are text too.
      const player = screen.getByTestId('player')
      for (let i = 0; i < 6; i++) await act(async () => within(player).getByRole('button', { name: 'Step forward' }).click())
      expectInert(document.body)
      expect(container.querySelectorAll('a[href^="javascript" i]')).toHaveLength(0)
    })
  }

  it('a malformed story with a payload in its errors is listed as text', () => {
    const bad = `---\nid: hostile-2\ntitle: x\norder: 2\n${HOSTILE[0]}: [\n---\n`
    const registry = buildRegistry({ 'stories/02-hostile-2.md': bad, 'stories/01-hostile-1.md': story(HOSTILE[1]!) })
    expect(registry.errors.length).toBeGreaterThan(0)
    visit('')
    render(<App scenarios={[queued]} stories={registry} />)
    expectInert(document.body)
  })

  it('Markdown drops script links and shows raw HTML as text, for random prose too', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...HOSTILE, '[a](javascript:x)', '<b>', '`<i>`', '**', '\n\n', '> ', '- ', '# '), fc.string({ maxLength: 12 })), { maxLength: 12 }), (parts) => {
        const text = parts.join(' ')
        const { container, unmount } = render(
          <div>
            <Markdown text={text} />
            <InlineMarkdown text={text} />
          </div>,
        )
        expectInert(container)
        unmount()
      }),
      { numRuns: 200 },
    )
  })
})

describe('presenter mode and speaker notes', () => {
  for (const view of ['present', 'notes'] as const) {
    it(`${view}: a hostile scenario's title and narration stay text`, () => {
      const payload = HOSTILE[0]!
      const text = `title: ${payload}\nthreads: main\nmain: x = list() as L  # ${payload}\n`
      visit(`?v=1&story=hostile&${view}=1`)
      const hostile = { id: 'hostile', file: 'hostile.scenario', text }
      render(view === 'present' ? <Presenter scenarios={[hostile]} /> : <Notes scenarios={[hostile]} />)
      expectInert(document.body)
    })
  }
})

describe('the embed', () => {
  const list = [{ id: 'queued', file: 'queued.scenario', text: queued.text }]

  it('EmbedView: every attribute with every payload is shown as text, never as markup', () => {
    for (const payload of VISIBLE) {
      const attrs: Record<string, string> = {}
      for (const name of ['story', 'step', 'mode', 'compare', 'autoplay', 'speed', 'controls', 'panels', 'theme', 'height', 'heading', 'label']) attrs[name] = payload
      const resolved = resolveEmbed((n) => attrs[n] ?? null, `title: ${payload}\nthreads: main\nmain: x = list()  # ${payload}\n`, list)
      const store = createExplorerStore(storeOptions(resolved, null))
      const { container, unmount } = render(<EmbedView store={store} resolved={resolved} />)
      expectInert(container)
      expectShown(container, payload.slice(0, 30))
      // The height never reaches a style unless it is a plain length.
      for (const el of container.querySelectorAll<HTMLElement>('[style]')) expect(el.getAttribute('style') ?? '').not.toMatch(/url\((?!#)|expression|javascript|__pwned/i)
      unmount()
    }
  })

  it('<pep703-explorer>: hostile attributes and inline text render inside the shadow root as text', async () => {
    const el = document.createElement(TAG_NAME)
    const payload = HOSTILE[2]!
    el.setAttribute('heading', payload)
    el.setAttribute('label', payload)
    el.setAttribute('mode', payload)
    el.setAttribute('scenario', `title: ${payload}\nthreads: main\nmain: x = list() as L\n`)
    document.body.append(el)
    await waitFor(() => expect(el.shadowRoot?.querySelector('[data-testid="player"]')).not.toBeNull(), { timeout: 5000 })
    const shadow = el.shadowRoot!
    expectInert(shadow)
    expect(flat(shadow.textContent ?? '')).toContain(flat(payload))
    expect(shadow.querySelector('[data-testid="player"]')?.getAttribute('aria-label')).toBe(payload)
    el.setAttribute('story', HOSTILE[0]!)
    el.removeAttribute('scenario')
    await waitFor(() => expect(shadow.textContent).toContain('No built-in scenario is named'))
    expectInert(shadow)
    el.remove()
  })

  it('the embed code a reader copies keeps any scenario and title inside its element', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.array(fc.constantFrom(...HOSTILE, 'main: pass', '</script>', '<!--', '-->', '</SCRIPT >', '"', "'", '&amp;', '\n'), { maxLength: 8 }).map((a) => a.join(''))),
        fc.option(fc.constantFrom(...HOSTILE)),
        (raw, title) => {
          // What an HTML parser does anyway: NUL becomes U+FFFD, CR LF and CR become LF.
          const parsed = (t: string) => wellFormed(t).replace(/\0/g, '\uFFFD').replace(/\r\n?/g, '\n')
          const text = `${parsed(raw)}\nmain: pass\n`
          const s = embedSnippets({ story: null, scenarioText: text, step: 0, mode: null, compare: null, speed: 1, title }, 'https://docs.example.org/explorer/')
          const doc = new DOMParser().parseFromString(`<!doctype html><body>${s.component}${s.iframe}</body>`, 'text/html')
          const body = doc.body
          expect([...body.children].map((c) => c.tagName)).toEqual(['SCRIPT', TAG_NAME.toUpperCase(), 'IFRAME'])
          const el = body.children[1]!
          const inline = el.querySelector(':scope > script[type="text/plain"]')
          const read = el.getAttribute('scenario') ?? inline?.textContent ?? ''
          expect(dedent(read)).toBe(dedent(text))
          expect(el.querySelectorAll('*').length).toBe(inline ? 1 : 0)
          expect(body.children[2]!.getAttribute('title')).toBe(parsed(`PEP 703 Explorer${title ? `: ${title}` : ''}`))
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('postMessage', () => {
  const parent = {}
  const gate = { parent, allowed: parseOrigins(['https://docs.example.org']), own: 'https://explorer.example.org' }
  const play = { type: 'pep703:play' }

  it('obeys the parent from an allowed origin or its own origin', () => {
    expect(commandFromEvent({ source: parent as MessageEventSource, origin: 'https://docs.example.org', data: play }, gate)).toEqual(play)
    expect(commandFromEvent({ source: parent as MessageEventSource, origin: 'https://explorer.example.org', data: play }, gate)).toEqual(play)
  })

  it('ignores other origins, other windows, an unframed page and wrong shapes', () => {
    const from = (origin: string, source: unknown = parent, data: unknown = play) => commandFromEvent({ source: source as MessageEventSource, origin, data }, gate)
    expect(from('https://evil.example')).toBeNull()
    expect(from('https://docs.example.org.evil.example')).toBeNull()
    expect(from('http://docs.example.org')).toBeNull()
    expect(from('null')).toBeNull()
    expect(from('https://docs.example.org', {})).toBeNull()
    expect(from('https://docs.example.org', null)).toBeNull()
    expect(commandFromEvent({ source: parent as MessageEventSource, origin: 'https://explorer.example.org', data: play }, { ...gate, parent: null })).toBeNull()
    for (const data of [...HOSTILE, { type: HOSTILE[0] }, { type: 'pep703:seek', step: HOSTILE[0] }, { type: 'pep703:step', delta: '1' }, null, [play]]) {
      expect(from('https://docs.example.org', parent, data)).toBeNull()
    }
  })

  it('an opaque own origin ("null", a sandboxed iframe) trusts nobody by default', () => {
    expect(commandFromEvent({ source: parent as MessageEventSource, origin: 'null', data: play }, { parent, allowed: [], own: 'null' })).toBeNull()
  })
})
