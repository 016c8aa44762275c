// embed.html: a chrome-less player for hosts that allow iframes but not scripts. The same options
// as <pep703-explorer>, as query parameters (and an edited scenario in #scenario=, as in the
// app's links), plus a postMessage API for hosts that do run scripts (see messages.ts):
//
//   <iframe src=".../embed.html?story=03-queued-then-merged&step=12&origin=https://docs.example.org"
//           title="PEP 703 Explorer: queued then merged" allow="fullscreen" style="border:0;width:100%;height:640px"></iframe>

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { decodeScenario } from '../app/url'
import { createExplorerStore } from '../store/explorerStore'
import './embed.css'
import './frame.css'
import { EmbedView } from './EmbedView'
import { commandFromEvent, parseOrigins, runCommand, stepEvent, type EmbedEvent } from './messages'
import { resolveEmbed, storeOptions } from './resolve'
import { scenariosFor } from './stories'

const params = new URLSearchParams(window.location.search)
const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''))
const encoded = fragment.get('scenario')
const decoded = encoded === null ? null : decodeScenario(encoded)
const inlineText = decoded?.ok === true ? decoded.text : null
const resolved = resolveEmbed((name) => params.get(name), inlineText, await scenariosFor(params.get('story')?.trim() || null))
const problems =
  decoded !== null && !decoded.ok
    ? [{ key: 'scenario', tone: 'error' as const, message: decoded.message }, ...resolved.problems.filter((p) => p.key !== 'story')]
    : resolved.problems
const view = { ...resolved, problems }
const store = createExplorerStore(storeOptions(view, null))

const root = document.getElementById('root')!
createRoot(root).render(
  <StrictMode>
    <EmbedView store={store} resolved={view} />
  </StrictMode>,
)

// The postMessage API. Only the parent may command, and only from an allowed origin.
const allowed = parseOrigins([...params.getAll('origin'), ...params.getAll('origins')])
const own = window.location.origin
const framed = window.parent !== window
let handled = 0
let ignored = 0
const count = () => {
  document.documentElement.dataset.handledMessages = String(handled)
  document.documentElement.dataset.ignoredMessages = String(ignored)
}
count()

const gate = { parent: framed ? window.parent : null, allowed, own }
window.addEventListener('message', (event: MessageEvent) => {
  const command = commandFromEvent(event, gate)
  if (command === null) {
    ignored++
  } else {
    handled++
    runCommand(store, command)
  }
  count()
})

function post(message: EmbedEvent): void {
  if (!framed) return
  // Step and height are not secret; with an origin list they go to those origins only.
  if (allowed.length === 0) window.parent.postMessage(message, '*')
  else for (const origin of allowed) window.parent.postMessage(message, origin)
}

let lastStep = -1
let lastTotal = -1
const sendStep = () => {
  const e = stepEvent(store)
  if (e.type !== 'pep703:step' || (e.step === lastStep && e.total === lastTotal)) return
  lastStep = e.step
  lastTotal = e.total
  post(e)
}
store.subscribe(sendStep)
sendStep()

let lastHeight = -1
const sendHeight = () => {
  const height = Math.ceil(root.getBoundingClientRect().height)
  if (height === lastHeight || height === 0) return
  lastHeight = height
  post({ type: 'pep703:height', height })
}
if (typeof ResizeObserver !== 'undefined') new ResizeObserver(sendHeight).observe(root)
sendHeight()
