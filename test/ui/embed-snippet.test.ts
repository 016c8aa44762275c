import { describe, expect, it } from 'vitest'
import { decodeScenario } from '../../src/app/url'
import { embedSnippets } from '../../src/embed/snippet'

const base = { story: '03-queued-then-merged', scenarioText: null, step: 12, mode: 'gil' as const, compare: null, speed: 1, title: 'Queued "then" <merged>' }

describe('embed snippets', () => {
  it('builds the component, the iframe and the link for the current view', () => {
    const s = embedSnippets(base, 'https://docs.example.org/explorer/index.html?v=1&story=x#frag')
    expect(s.component).toBe(
      '<script type="module" src="https://docs.example.org/explorer/embed/pep703-explorer.js"></script>\n' +
        '<pep703-explorer story="03-queued-then-merged" step="12" mode="gil"></pep703-explorer>',
    )
    expect(s.iframe).toContain('src="https://docs.example.org/explorer/embed.html?story=03-queued-then-merged&amp;step=12&amp;mode=gil"')
    expect(s.iframe).toContain('title="PEP 703 Explorer: Queued &quot;then&quot; &lt;merged&gt;"')
    expect(s.iframe).toContain('allow="fullscreen"')
    expect(s.link).toBe('https://docs.example.org/explorer/index.html?v=1&story=03-queued-then-merged&step=12&mode=gil')
  })

  it('carries an edited scenario as text (component) and in the fragment (iframe, link)', () => {
    const text = 'main: x = list() as L\nmain: y = x\n'
    const s = embedSnippets({ ...base, story: null, scenarioText: text, mode: null }, 'https://h.example/')
    expect(s.component).toContain('<script type="text/plain">\n    main: x = list() as L\n    main: y = x\n  </script>')
    const fragment = /#scenario=([A-Za-z0-9_-]+)/.exec(s.iframe)![1]!
    expect(decodeScenario(fragment)).toEqual({ ok: true, text })
    expect(s.link).toContain('#scenario=')
  })

  it('falls back to an escaped attribute when the text could close the script', () => {
    const s = embedSnippets({ ...base, story: null, scenarioText: 'main: x = list() # </script><b>\n' }, 'https://h.example/')
    expect(s.component).toContain('scenario="main: x = list() # &lt;/script&gt;&lt;b&gt;\n"')
    expect(s.component).not.toContain('<b>')
  })
})
