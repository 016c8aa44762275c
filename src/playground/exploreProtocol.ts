// Messages between the page and the explorer's worker, and the page's side of it: start a search,
// hear progress, cancel (terminate). Tests pass their own worker factory.

import type { ExploreLimits, ExploreProgress, ExploreResult, Mode } from '../engine'
import { createExploreWorker } from './workerFactory'

export interface WorkerRequest {
  readonly text: string
  readonly file: string
  readonly mode: Mode | null
  readonly limits: ExploreLimits
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly progress: ExploreProgress }
  | { readonly type: 'done'; readonly result: ExploreResult }
  | { readonly type: 'error'; readonly message: string }

/** The part of a Worker the page uses. */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null
  onerror: ((event: ErrorEvent) => void) | null
  postMessage(message: WorkerRequest): void
  terminate(): void
}

export type WorkerFactory = () => WorkerLike

/** The bundled worker (its own chunk; inlined in the single-file build). */
export const defaultWorkerFactory: WorkerFactory = createExploreWorker

export interface SearchHandlers {
  onProgress(p: ExploreProgress): void
  onDone(result: ExploreResult): void
  onError(message: string): void
}

/** Starts a search in a fresh worker; returns a function that cancels it. */
export function startSearch(request: WorkerRequest, handlers: SearchHandlers, factory: WorkerFactory = defaultWorkerFactory): () => void {
  let worker: WorkerLike | null = null
  const stop = () => {
    worker?.terminate()
    worker = null
  }
  try {
    worker = factory()
  } catch (error) {
    handlers.onError(`The explorer could not start its background worker: ${error instanceof Error ? error.message : String(error)}`)
    return () => undefined
  }
  worker.onmessage = (event) => {
    if (!worker) return
    const reply = event.data
    if (reply.type === 'progress') handlers.onProgress(reply.progress)
    else {
      stop()
      if (reply.type === 'done') handlers.onDone(reply.result)
      else handlers.onError(reply.message)
    }
  }
  worker.onerror = (event) => {
    if (!worker) return
    stop()
    event.preventDefault?.()
    handlers.onError(
      `The explorer’s background worker failed${event.message ? `: ${event.message}` : ''}. ` +
        'A page opened from a file (the single-file copy) cannot start workers: use the served app.',
    )
  }
  worker.postMessage(request)
  return stop
}
