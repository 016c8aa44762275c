// A player store that shows the view in the address bar and keeps the address bar current
// (like the app's), for presenter mode and the notes window.

import { useEffect, useState } from 'react'
import { connectUrl } from '../app/history'
import type { BuiltinScenario } from '../app/scenarios'
import { parseUrl } from '../app/url'
import { applyView, type Notice } from '../app/view'
import { createExplorerStore, type ExplorerStore, type ThemeChoice } from '../store/explorerStore'

export function useUrlStore(
  scenarios: readonly BuiltinScenario[],
  theme: ThemeChoice,
): { store: ExplorerStore; notices: readonly Notice[] } {
  const [store] = useState(() => createExplorerStore({ theme, motion: 'system' }))
  const [notices, setNotices] = useState<readonly Notice[]>(() =>
    applyView(store, parseUrl(window.location.search, window.location.hash), scenarios),
  )
  useEffect(() => {
    const c = connectUrl(store, {
      onNavigate: (location) => setNotices(applyView(store, parseUrl(location.search, location.hash), scenarios)),
    })
    return () => c.disconnect()
  }, [store, scenarios])
  return { store, notices }
}

/** The current URL with `name` set to `value` (or removed, for null). */
export function urlWith(name: string, value: string | null): string {
  const url = new URL(window.location.href)
  if (value === null) url.searchParams.delete(name)
  else url.searchParams.set(name, value)
  return url.href
}
