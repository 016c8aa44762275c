// The interleaving explorer's Web Worker: parses the scenario and searches its schedules off the
// main thread, posting progress as it goes, so the page never freezes. Cancelling terminates
// the worker (the search is one synchronous loop, so it could not read a "stop" message).

import { explore, parseScenario } from '../engine'
import type { WorkerReply, WorkerRequest } from './exploreProtocol'

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null
  postMessage(message: WorkerReply): void
}

scope.onmessage = (event) => {
  const { text, file, mode, limits } = event.data
  try {
    const parsed = parseScenario(text, file)
    if (!parsed.ok) {
      const e = parsed.errors[0]!
      scope.postMessage({ type: 'error', message: `The scenario does not parse: line ${e.line}, column ${e.column}: ${e.message}` })
      return
    }
    const result = explore(parsed.scenario, {
      ...(mode ? { mode } : {}),
      limits,
      // Without a clock the explorer can neither keep to maxMs (the time budget) nor report its time.
      now: () => performance.now(),
      onProgress: (p) => scope.postMessage({ type: 'progress', progress: { states: p.states, schedules: p.schedules, transitions: p.transitions, ms: p.ms } }),
    })
    scope.postMessage({ type: 'done', result })
  } catch (error) {
    scope.postMessage({ type: 'error', message: `The explorer stopped: ${error instanceof Error ? error.message : String(error)}` })
  }
}
