// The embed code for a view: a <pep703-explorer> element (with its script tag) and an iframe of
// embed.html, both pointing at where this explorer is served. Every value is escaped for HTML.

import type { Mode } from '../engine'
import { encodeScenario } from '../app/url'

export interface SnippetView {
  readonly story: string | null
  /** An edited scenario's text (instead of a story). */
  readonly scenarioText: string | null
  readonly step: number
  readonly mode: Mode | null
  readonly compare: Mode | null
  readonly speed: number
  /** Used for the iframe's title. */
  readonly title: string | null
}

export interface Snippets {
  readonly component: string
  readonly iframe: string
  /** A link to the app at exactly this view. */
  readonly link: string
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function viewParams(view: SnippetView): URLSearchParams {
  const p = new URLSearchParams()
  if (view.scenarioText === null && view.story !== null) p.set('story', view.story)
  if (view.step > 0) p.set('step', String(view.step))
  if (view.mode !== null) p.set('mode', view.mode)
  if (view.compare !== null) p.set('compare', view.compare)
  if (view.speed !== 1) p.set('speed', String(view.speed))
  return p
}

/**
 * `appUrl` is the address of the app's page (its directory holds embed.html and embed/);
 * query and fragment are ignored.
 */
export function embedSnippets(view: SnippetView, appUrl: string): Snippets {
  const base = new URL('./', appUrl)
  const params = viewParams(view)
  const fragment = view.scenarioText === null ? '' : `#scenario=${encodeScenario(view.scenarioText)}`

  const attrs = [...params].map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('')
  const script = `<script type="module" src="${escapeHtml(new URL('embed/pep703-explorer.js', base).href)}"></script>`
  let element: string
  if (view.scenarioText === null) {
    element = `<pep703-explorer${attrs}></pep703-explorer>`
  } else if (!/<\/script|<!--/i.test(view.scenarioText)) {
    const body = view.scenarioText.replace(/\n+$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')
    element = `<pep703-explorer${attrs}>\n  <script type="text/plain">\n${body}\n  </script>\n</pep703-explorer>`
  } else {
    element = `<pep703-explorer${attrs} scenario="${escapeHtml(view.scenarioText)}"></pep703-explorer>`
  }

  const frameSrc = new URL('embed.html', base)
  frameSrc.search = params.toString()
  const title = `PEP 703 Explorer${view.title ? `: ${view.title}` : ''}`
  const iframe =
    `<iframe src="${escapeHtml(frameSrc.href + fragment)}" title="${escapeHtml(title)}" allow="fullscreen" ` +
    `loading="lazy" style="border:0;width:100%;height:720px"></iframe>`

  const appParams = new URLSearchParams([['v', '1'], ...params])
  const link = `${new URL(`?${appParams.toString()}`, new URL(appUrl)).href.replace(/#.*$/, '')}${fragment}`
  return { component: `${script}\n${element}`, iframe, link }
}
