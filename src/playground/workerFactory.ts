// The explorer's worker as Vite bundles it: its own chunk beside the app's, fetched when a search
// starts. (The single-file build swaps in workerFactory.inline.ts: see vite.single.config.ts.)

import type { WorkerLike } from './exploreProtocol'

export function createExploreWorker(): WorkerLike {
  return new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module', name: 'interleaving-explorer' }) as unknown as WorkerLike
}
