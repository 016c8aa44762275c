// The explorer's worker inlined into the page (a Blob URL), for the single-file build, which has
// no other files to fetch and may run from file://. vite.single.config.ts uses this module in
// place of workerFactory.ts.

import ExploreWorker from './explore.worker.ts?worker&inline'
import type { WorkerLike } from './exploreProtocol'

export function createExploreWorker(): WorkerLike {
  return new ExploreWorker({ name: 'interleaving-explorer' }) as unknown as WorkerLike
}
