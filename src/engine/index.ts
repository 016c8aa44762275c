// The engine's public API. Everything outside src/engine imports from here only.

export { parseScenario, LIMITS, suggest, OBJECT_FIELDS, THREAD_FIELDS } from './parser'
export { runScenario, objectField, threadField, DEFAULT_MAX_STEPS } from './run'
export type { RunOptions, ExpectationResult, Outcome } from './run'
export { Trace, replay } from './trace'
export { checkScenarioText } from './check'
export type { CheckReport, CheckFailure } from './check'
export { formatStep, formatTrace, traceToJson, stateJson, objectJson, rawShared } from './format'
export { COST, ATOMIC_REMOTE } from './cost'
export { hex, TID_BASE, TID_STRIDE, PAGE_BLOCKS } from './machine'
export * from './types'
export type * from './ast'
