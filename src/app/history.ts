// Keeps the address bar in step with a player's store, and the store with Back/Forward.
//
// History policy (documented in README.md):
// - loading another scenario, an edited scenario, changing the mode or the side-by-side mode
//   adds a history entry (pushState), so Back returns to the previous view;
// - a jump (start, end, a timeline marker, a step link in the results) adds an entry too;
// - single steps, scrubbing and playback replace the current entry (replaceState), at most
//   once a second while playing or scrubbing and once more when it stops, so the link in
//   the address bar always shows the current step without Back walking through every step;
// - speed changes replace the entry.
// Back/Forward (popstate, hashchange) hand the new URL to `onNavigate`, which applies it to the
// store; writes caused by that are not recorded again.

import type { ExplorerState, ExplorerStore } from '../store/explorerStore'
import { buildUrl, type UrlView } from './url'

export const CUSTOM_SOURCE_ID = 'custom'

export function viewOfState(state: ExplorerState): UrlView {
  const custom = state.source?.id === CUSTOM_SOURCE_ID
  return {
    story: state.source && !custom ? state.source.id : null,
    scenarioText: state.source && custom ? state.source.text : null,
    step: state.position,
    mode: state.modeOverride,
    compare: state.compareMode,
    speed: state.speed,
    autoplay: false,
  }
}

export interface UrlConnection {
  disconnect(): void
  /** Runs `fn` (which changes the store) without recording its changes in history. */
  quietly(fn: () => void): void
  /** Writes any pending replaceState now. */
  flush(): void
  /** Replaces the current URL with the store's canonical one (e.g. adds v=1 after loading). */
  normalize(): void
}

export interface ConnectOptions {
  /** Called on Back/Forward and fragment changes with the new location. */
  readonly onNavigate: (location: { readonly search: string; readonly hash: string }) => void
  /** Minimum time between replaceState calls while playing or scrubbing (default 1 s). */
  readonly throttleMs?: number
  readonly now?: () => number
}

export function connectUrl(store: ExplorerStore, options: ConnectOptions): UrlConnection {
  const throttleMs = options.throttleMs ?? 1000
  const now = options.now ?? (() => Date.now())
  let quiet = false
  let lastReplace = -Infinity
  let pending: ReturnType<typeof setTimeout> | null = null

  const currentHref = () => `${window.location.search}${window.location.hash}`
  const targetHref = () => {
    const { search, hash } = buildUrl(viewOfState(store.getState()), window.location.search)
    return `${search}${hash}`
  }
  const write = (kind: 'push' | 'replace') => {
    if (pending !== null) {
      clearTimeout(pending)
      pending = null
    }
    const href = targetHref()
    if (href === currentHref()) return
    const url = `${window.location.pathname}${href}`
    if (kind === 'push') window.history.pushState(null, '', url)
    else {
      window.history.replaceState(null, '', url)
      lastReplace = now()
    }
  }
  const replaceSoon = () => {
    const wait = lastReplace + throttleMs - now()
    if (wait <= 0) write('replace')
    else if (pending === null) pending = setTimeout(() => write('replace'), wait)
  }

  const unsubscribe = store.subscribe((state, prev) => {
    if (quiet) return
    if (state.source !== prev.source || state.modeOverride !== prev.modeOverride || state.compareMode !== prev.compareMode) {
      write('push')
    } else if (state.position !== prev.position) {
      if (state.lastMove === 'jump') write('push')
      else if (state.lastMove === 'play' || state.lastMove === 'scrub') replaceSoon()
      else write('replace')
    } else if (state.playing !== prev.playing && !state.playing) {
      write('replace')
    } else if (state.speed !== prev.speed) {
      write('replace')
    } else if (state.lastMove === 'load') {
      // The same scenario loaded again (a click on the current one): show its link.
      write('push')
    }
  })

  const onPop = () => {
    if (pending !== null) {
      clearTimeout(pending)
      pending = null
    }
    quiet = true
    try {
      options.onNavigate({ search: window.location.search, hash: window.location.hash })
    } finally {
      quiet = false
    }
  }
  window.addEventListener('popstate', onPop)
  window.addEventListener('hashchange', onPop)

  return {
    disconnect() {
      unsubscribe()
      window.removeEventListener('popstate', onPop)
      window.removeEventListener('hashchange', onPop)
      if (pending !== null) clearTimeout(pending)
    },
    quietly(fn) {
      const was = quiet
      quiet = true
      try {
        fn()
      } finally {
        quiet = was
      }
    },
    flush() {
      if (pending !== null) write('replace')
    },
    normalize() {
      write('replace')
    },
  }
}
