// Fuzzing of every entry point that takes untrusted input: `npm run fuzz`.
//
//   npm run fuzz [-- --runs 20000 --seed 42 --target url --max-ms 250]
//
// For each target of test/trust/targets.ts (the scenario parser and runner, the story loader
// with its Markdown renderer, the URL decoder with what a link does to a player, the embed
// attributes, the postMessage handler and origin list), runs --runs generated inputs
// (test/trust/generators.ts: random text and mutations of the real scenarios and stories) and
// checks that no exception escapes, every rejection is a sentence with a position where the API
// has one, and each input is handled within --max-ms (default 250 ms). A watchdog thread kills
// the run and prints the input when one case runs for 30 s (a hang: synchronous code cannot be
// interrupted otherwise). Prints cases per second and the slowest case per target; exits 1 on
// any failure, with fast-check's seed and path to replay it (--seed, and the printed counterexample).

import { writeSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { runnerImport } from 'vite'
import type * as Targets from '../test/trust/targets.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback
}

const RUNS = Number(option('runs', process.env.FUZZ_RUNS ?? '20000'))
const SEED = Number(option('seed', String(Date.now() % 2_147_483_647)))
const ONLY = option('target', '')
const MAX_MS = Number(option('max-ms', '250'))
const HANG_MS = 30_000

// The app's modules use import.meta.glob (Vite): load the targets through Vite's module runner.
const { module: targets } = await runnerImport<typeof Targets>(path.join(ROOT, 'test/trust/targets.ts'), { configFile: false, root: ROOT, logLevel: 'error' })

// Watchdog: the main thread bumps a counter before every case and leaves the case's input in
// shared memory; if the counter stands still for HANG_MS, the watchdog prints it and kills us.
const shared = new SharedArrayBuffer(8 + 65_536)
const beat = new Int32Array(shared, 0, 2)
const inputBytes = new Uint8Array(shared, 8)
const watchdog = new Worker(
  `
  const { workerData } = require('node:worker_threads')
  const { writeSync } = require('node:fs')
  const beat = new Int32Array(workerData.shared, 0, 2)
  const bytes = new Uint8Array(workerData.shared, 8)
  let last = -1, since = Date.now()
  setInterval(() => {
    const now = Atomics.load(beat, 0)
    if (now !== last) { last = now; since = Date.now(); return }
    if (Date.now() - since < workerData.hangMs) return
    const text = new TextDecoder().decode(bytes.slice(0, Atomics.load(beat, 1)))
    writeSync(2, '\\nfuzz: HANG: case ' + now + ' has run for ' + workerData.hangMs / 1000 + ' s; input:\\n' + text + '\\n')
    process.kill(process.pid, 'SIGKILL')
  }, 500)
  `,
  { eval: true, workerData: { shared, hangMs: HANG_MS } },
)
watchdog.unref()
const encoder = new TextEncoder()
let caseNumber = 0
function heartbeat(input: unknown): void {
  const bytes = encoder.encode(targets.show(input)).subarray(0, inputBytes.length)
  inputBytes.set(bytes)
  Atomics.store(beat, 1, bytes.length)
  Atomics.store(beat, 0, ++caseNumber)
}

interface Stats {
  name: string
  cases: number
  ms: number
  slowestMs: number
  slowest: string
  failure: string | null
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const { fc } = targets
const list = targets.loadTargets().filter((t) => t.name.includes(ONLY))
console.log(`fuzz: ${list.length} targets × ${RUNS} cases, seed ${SEED}, at most ${MAX_MS} ms per case`)
const results: Stats[] = []
for (const t of list) {
  const stats: Stats = { name: t.name, cases: 0, ms: 0, slowestMs: 0, slowest: '', failure: null }
  const durations: number[] = []
  const started = performance.now()
  // One case: run it (twice when slow: a garbage collection or a busy machine can stall any one
  // call, a slow input is slow twice), record the time, fail past the bound.
  const record = (input: unknown, ms: number) => {
    stats.cases++
    durations.push(ms)
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms
      stats.slowest = targets.show(input)
    }
    if (ms > MAX_MS) throw new Error(`took ${ms.toFixed(0)} ms (the bound is ${MAX_MS} ms)`)
  }
  const timed = (input: unknown) => {
    const t0 = performance.now()
    void t.run(input)
    return performance.now() - t0
  }
  const timedAsync = async (input: unknown) => {
    const t0 = performance.now()
    await t.run(input)
    return performance.now() - t0
  }
  try {
    if (t.async) {
      const body = async (input: unknown) => {
        heartbeat(input)
        let ms = await timedAsync(input)
        if (ms > MAX_MS) ms = Math.min(ms, await timedAsync(input))
        record(input, ms)
      }
      await fc.assert(fc.asyncProperty(t.arbitrary, body), { numRuns: RUNS, seed: SEED })
    } else {
      // Sync targets stay sync (nothing awaited between cases): the watchdog then sees a real hang.
      const body = (input: unknown) => {
        heartbeat(input)
        let ms = timed(input)
        if (ms > MAX_MS) ms = Math.min(ms, timed(input))
        record(input, ms)
      }
      fc.assert(fc.property(t.arbitrary, body), { numRuns: RUNS, seed: SEED })
    }
  } catch (error) {
    // fast-check reports the counterexample in the message and the property's own error as cause.
    const cause = error instanceof Error && error.cause !== undefined ? `\nerror: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}` : ''
    stats.failure = (error instanceof Error ? error.message : String(error)) + cause
  }
  stats.ms = performance.now() - started
  durations.sort((a, b) => a - b)
  results.push(stats)
  const rate = stats.cases / (stats.ms / 1000)
  console.log(
    `${stats.failure ? 'FAIL' : 'ok  '}  ${t.name}: ${stats.cases} cases in ${(stats.ms / 1000).toFixed(1)} s (${rate.toFixed(0)}/s); ` +
      `median ${percentile(durations, 50).toFixed(2)} ms, p99 ${percentile(durations, 99).toFixed(1)} ms, slowest ${stats.slowestMs.toFixed(1)} ms`,
  )
  console.log(`      slowest input: ${stats.slowest.length > 300 ? `${stats.slowest.slice(0, 300)}… (${stats.slowest.length} characters)` : stats.slowest}`)
  if (stats.failure) console.error(`      ${stats.failure.split("\n").map((l) => (l.length > 1500 ? `${l.slice(0, 1500)}… (${l.length} characters)` : l)).slice(0, 60).join("\n      ")}`)
}

const failed = results.filter((r) => r.failure)
console.log(
  JSON.stringify({
    seed: SEED,
    runs: RUNS,
    targets: results.map((r) => ({ name: r.name, cases: r.cases, perSecond: Math.round(r.cases / (r.ms / 1000)), slowestMs: Math.round(r.slowestMs * 10) / 10, ok: !r.failure })),
  }),
)
writeSync(1, failed.length ? `fuzz: ${failed.length} target(s) FAILED\n` : 'fuzz: every target held\n')
await watchdog.terminate()
process.exit(failed.length ? 1 : 0)
