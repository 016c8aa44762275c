// Media-query hooks for the user's system preferences (colour scheme, contrast, motion).

import { useSyncExternalStore } from 'react'

function hasMatchMedia(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
}

/** One MediaQueryList per query: creating one on every render is not free. */
const lists = new Map<string, MediaQueryList>()

function listFor(query: string): MediaQueryList | null {
  if (!hasMatchMedia()) return null
  let list = lists.get(query)
  if (!list) {
    list = window.matchMedia(query)
    lists.set(query, list)
  }
  return list
}

/** True while `query` matches; false where matchMedia is missing (tests, old browsers). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = listFor(query)
      if (!list) return () => undefined
      list.addEventListener('change', onChange)
      return () => list.removeEventListener('change', onChange)
    },
    () => listFor(query)?.matches ?? false,
    () => false,
  )
}

export function usePrefersReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)')
}

export function usePrefersDark(): boolean {
  return useMediaQuery('(prefers-color-scheme: dark)')
}

export function usePrefersMoreContrast(): boolean {
  return useMediaQuery('(prefers-contrast: more)')
}
