// <pep703-explorer>: the embeddable player as a custom element (the entry of the embed build,
// dist/embed/pep703-explorer.js). This file is small and touches no DOM when imported: the
// element is defined only where customElements exists (not during server rendering), and the
// player itself (React, the engine) loads on first use from a chunk next to this file.
//
//   <script type="module" src=".../embed/pep703-explorer.js"></script>
//   <pep703-explorer story="03-queued-then-merged" step="12" controls="minimal"></pep703-explorer>
//
// Attributes: story, scenario (or a <script type="text/plain"> child), step, mode, compare,
// autoplay, speed, controls, panels, theme, height, heading, label (see options.ts). Methods:
// play(), pause(), stepBy(delta), seek(step); properties step and total; a `pep703-step` event
// ({ detail: { step, total } }) whenever the step changes.

import { hostTheme, observeHostTheme } from './hostTheme'
import type { EmbedHandle, EmbedInput, mountEmbed } from './mount'

export const TAG_NAME = 'pep703-explorer'

export const ATTRIBUTES = [
  'story',
  'scenario',
  'step',
  'mode',
  'compare',
  'autoplay',
  'speed',
  'controls',
  'panels',
  'theme',
  'height',
  'heading',
  'label',
] as const

/** The host element's own box. `all: initial !important` keeps a host's `* { … }` rules out. */
const HOST_CSS = `
:host { all: initial !important; display: block !important; contain: layout style !important; margin: var(--pep703-margin, 1em 0) !important; max-width: 100% !important; min-width: 0 !important; }
:host([hidden]) { display: none !important; }
.pep703-status[hidden] { display: none; }
.pep703-status { box-sizing: border-box; display: flex; align-items: center; justify-content: center; min-height: 12em; padding: 1em; border: 1px solid #c4ccd6; border-radius: 8px; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #4c5561; background: #f5f6f8; }
.pep703-status[data-kind='error'] { color: #a3161c; background: #fdecec; }
@media (prefers-color-scheme: dark) { .pep703-status { color: #aab2bd; background: #1c1f24; border-color: #3c434d; } .pep703-status[data-kind='error'] { color: #ff9a9a; background: #3a1618; } }
`

const INLINE_SELECTOR = ':scope > script[type="text/plain"], :scope > script[type="text/x-pep703-scenario"], :scope > template'

type Mount = { readonly mountEmbed: typeof mountEmbed }
let loading: Promise<Mount> | null = null

function loadMount(): Promise<Mount> {
  loading ??= import('./mount').catch((error: unknown) => {
    loading = null
    throw error
  })
  return loading
}

function defineClass() {
  return class Pep703Explorer extends HTMLElement {
    static get observedAttributes(): readonly string[] {
      return ATTRIBUTES
    }

    readonly #shadow: ShadowRoot
    readonly #container: HTMLDivElement
    readonly #status: HTMLDivElement
    #handle: EmbedHandle | null = null
    #starting = false
    #stopObservers: (() => void) | null = null
    #updateQueued = false
    #generation = 0

    constructor() {
      super()
      this.#shadow = this.attachShadow({ mode: 'open' })
      const style = document.createElement('style')
      style.textContent = HOST_CSS
      this.#status = document.createElement('div')
      this.#status.className = 'pep703-status'
      this.#status.setAttribute('role', 'status')
      this.#container = document.createElement('div')
      this.#container.className = 'pep703-root'
      this.#shadow.append(style, this.#status, this.#container)
    }

    connectedCallback(): void {
      if (this.#handle !== null || this.#starting) return
      this.#start()
    }

    disconnectedCallback(): void {
      // A move (disconnect then connect in one task) keeps the player; a removal (client-side
      // navigation replacing the page) unmounts React, stops playback and the observers.
      queueMicrotask(() => {
        if (!this.isConnected) this.#teardown()
      })
    }

    attributeChangedCallback(): void {
      this.#queueUpdate()
    }

    /** Starts playing (from the start when at the end). */
    play(): void {
      this.#handle?.command({ type: 'pep703:play' })
    }

    pause(): void {
      this.#handle?.command({ type: 'pep703:pause' })
    }

    /** Moves `delta` steps (negative: back). */
    stepBy(delta = 1): void {
      if (Number.isInteger(delta)) this.#handle?.command({ type: 'pep703:step', delta })
    }

    seek(step: number): void {
      if (Number.isInteger(step) && step >= 0) this.#handle?.command({ type: 'pep703:seek', step })
    }

    get step(): number {
      return this.#handle?.step ?? 0
    }

    get total(): number {
      return this.#handle?.total ?? 0
    }

    #input(): EmbedInput {
      const attributes: Record<string, string> = {}
      for (const name of ATTRIBUTES) {
        const value = this.getAttribute(name)
        if (value !== null) attributes[name] = value
      }
      const inline = this.querySelector(INLINE_SELECTOR)
      const text = inline instanceof HTMLTemplateElement ? inline.content.textContent : (inline?.textContent ?? null)
      return { attributes, inlineText: text }
    }

    #showStatus(kind: 'loading' | 'error' | 'none', message = ''): void {
      this.#status.hidden = kind === 'none'
      this.#status.dataset.kind = kind
      this.#status.setAttribute('role', kind === 'error' ? 'alert' : 'status')
      this.#status.textContent = message
    }

    #start(): void {
      this.#starting = true
      const generation = ++this.#generation
      this.#showStatus('loading', 'Loading PEP 703 Explorer…')
      const stopTheme = observeHostTheme(document, () => this.#handle?.setHostTheme(hostTheme(document)))
      // Content set after connecting (frameworks, a parser still inside the element) counts too.
      const content = new MutationObserver(() => this.#queueUpdate())
      content.observe(this, { childList: true, subtree: true, characterData: true })
      this.#stopObservers = () => {
        stopTheme()
        content.disconnect()
      }
      loadMount()
        .then(async (m) => {
          if (generation !== this.#generation || !this.isConnected) return
          const handle = await m.mountEmbed(this.#shadow, this.#container, this.#input(), hostTheme(document), (step, total) =>
            this.dispatchEvent(new CustomEvent('pep703-step', { detail: { step, total } })),
          )
          if (generation !== this.#generation) {
            handle.unmount()
            return
          }
          this.#handle = handle
          this.#showStatus('none')
        })
        .catch((error: unknown) => {
          if (generation !== this.#generation) return
          const why = error instanceof Error ? error.message : String(error)
          this.#showStatus('error', `PEP 703 Explorer could not load its player (${why}). Check that the files next to pep703-explorer.js are served too.`)
        })
        .finally(() => {
          if (generation === this.#generation) this.#starting = false
        })
    }

    #queueUpdate(): void {
      if (this.#updateQueued) return
      this.#updateQueued = true
      queueMicrotask(() => {
        this.#updateQueued = false
        this.#handle?.update(this.#input())
      })
    }

    #teardown(): void {
      this.#generation++
      this.#starting = false
      this.#stopObservers?.()
      this.#stopObservers = null
      this.#handle?.unmount()
      this.#handle = null
    }
  }
}

/** Defines <pep703-explorer> once, where custom elements exist; a no-op on the server. */
export function defineExplorerElement(): void {
  if (typeof customElements === 'undefined' || typeof HTMLElement === 'undefined') return
  if (customElements.get(TAG_NAME) !== undefined) return
  customElements.define(TAG_NAME, defineClass())
}

defineExplorerElement()
