// One store per player instance, reached through React context (zustand's "initialize state
// with props" pattern), so several players can live on one page without sharing state.

import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { ExplorerActions, ExplorerState, ExplorerStore } from '../../store/explorerStore'

const ExplorerContext = createContext<ExplorerStore | null>(null)

export function ExplorerProvider({ store, children }: { readonly store: ExplorerStore; readonly children: ReactNode }) {
  return <ExplorerContext.Provider value={store}>{children}</ExplorerContext.Provider>
}

/** The store of the enclosing player. Throws a clear error outside an ExplorerProvider. */
export function useExplorerStore(): ExplorerStore {
  const store = useContext(ExplorerContext)
  if (!store) {
    throw new Error(
      'useExplorer must be used inside <ExplorerProvider store={…}> (create one store per player with createExplorerStore)',
    )
  }
  return store
}

/**
 * Reads the enclosing player's store. The selector must return a primitive or a reference the
 * store already holds (not a new object or array on each call).
 */
export function useExplorer<T>(selector: (state: ExplorerState & ExplorerActions) => T): T {
  return useStore(useExplorerStore(), selector)
}

/** The enclosing player's actions (stable functions: reading them never re-renders). */
export function useExplorerActions(): ExplorerActions {
  return useExplorerStore().getState()
}
