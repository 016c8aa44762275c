// The view's URL state: `?scenario=<file-stem>&mode=<mode>`, so a link reproduces the view.

import { useSyncExternalStore } from 'react'

export interface ViewParams {
  readonly scenario: string | null
  readonly mode: string | null
}

export function readParams(search: string): ViewParams {
  const params = new URLSearchParams(search)
  return { scenario: params.get('scenario'), mode: params.get('mode') }
}

/** The query string for `params` (`''` when empty), keeping unrelated parameters of `base`. */
export function buildSearch(params: ViewParams, base = ''): string {
  const out = new URLSearchParams(base)
  for (const key of ['scenario', 'mode'] as const) {
    const value = params[key]
    if (value === null || value === '') out.delete(key)
    else out.set(key, value)
  }
  const text = out.toString()
  return text === '' ? '' : `?${text}`
}

const listeners = new Set<() => void>()

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

function getSearch(): string {
  return window.location.search
}

/** The current view parameters; re-renders on navigate() and on back/forward. */
export function useViewParams(): ViewParams {
  const search = useSyncExternalStore(subscribe, getSearch, () => '')
  return readParams(search)
}

/** Moves to a new view, as a history entry (default) or in place. */
export function navigate(params: ViewParams, options: { replace?: boolean } = {}): void {
  const search = buildSearch(params, window.location.search)
  const url = `${window.location.pathname}${search}${window.location.hash}`
  if (options.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  for (const listener of listeners) listener()
}
