// Engine benchmark: `npm run bench` (tsx --expose-gc scripts/bench.ts).
//
// Generates one long scenario (8 threads; main creates 64 objects and publishes them through G;
// every other thread loads, copies, deletes, appends, pops and takes critical sections on them)
// and measures, in this Node process:
// - parseMs: parseScenario on the text;
// - traceBuildMs: runScenario (the trace with its checkpoints is what gets built), the median
//   of 5 runs after a first, cold one (reported too), and
//   stepsPerSecond = micro-steps / build seconds. The runs follow each other as they would in
//   an app: no collection is forced between them or before the seeks, because a forced full
//   collection makes V8 drop optimised code, which no page does. The builds with a forced
//   collection before each are timed too, after the seeks, and printed for comparison;
// - traceMemoryMB: what the trace keeps, heap plus array buffers, after a full collection minus
//   before it (needs --expose-gc; without it the number is reported as null);
// - seekMedianMs / seekMaxMs: trace.stateAt(p) for 2,000 random positions p, in the steady state:
//   after 1,500 seeks that warm the seek path up. A seek restores the machine to a checkpoint
//   and re-runs the steps after it; V8 compiles that path on first use, so the first seeks
//   after a build can be slower. The first 200 are printed too ("cold seeks").
// - detailsMs (text only): reading every micro-step's narration and changes once, which records
//   the whole run a second time with the change log on.
// Targets: >= 1,000,000 micro-steps/s and every seek < 4 ms. The last line of the output is one
// line of JSON with the five numbers.
//
// Options: --seed N (the generator's seed, default 1), --statements N (per worker thread,
// default 12000), --seeks N (default 2000), --schedule default|round-robin|random.

import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseScenario, runScenario, type RunOptions } from '../src/engine/index.ts'

const THREADS = 8
const OBJECTS = 64
/** Every LIST_EVERY-th published object is a list; the rest are plain objects. */
const LIST_EVERY = 4
const TARGET_STEPS_PER_SECOND = 1_000_000
const TARGET_SEEK_MS = 4
/** Seeks measured right after the build, and seeks (those included) before the measured ones. */
const COLD_SEEKS = 200
const WARM_UP_SEEKS = 1500
/** Timed runs after the cold one; the median counts. */
const RUNS = 5

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback
}

/** mulberry32, so the generated scenario is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The scenario. Validity under the default schedule: main's setup lines come first in the file,
 * G's keys are never replaced or deleted, every list is popped only by a thread that appended
 * to it at least as often as it popped from it (so no list is ever popped empty), and every
 * critical section ends in the same round it began.
 */
export function generate(seed: number, perThread: number): string {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const isList = (k: number) => k % LIST_EVERY === 0
  const lines = ['title: benchmark', `threads: main, ${Array.from({ length: THREADS - 1 }, (_, i) => `T${i + 1}`).join(', ')}`]
  for (let k = 0; k < OBJECTS; k++) {
    if (isList(k)) {
      lines.push(`main: x = list() as O${k}`, 'main: y = object()', 'main: x.append(y)', 'main: del y')
    } else lines.push(`main: x = object() as O${k}`)
    lines.push(`main: G.o${k} = x`, 'main: del x')
  }
  const objKey = () => {
    let k = int(OBJECTS)
    if (isList(k)) k++
    return k
  }
  const listKey = () => LIST_EVERY * int(OBJECTS / LIST_EVERY)
  const programs: string[][] = []
  for (let t = 1; t < THREADS; t++) {
    const out: string[] = []
    // Per list key: appends minus pops by this thread.
    const balance = new Map<number, number>()
    while (out.length < perThread) {
      const a = objKey()
      const l = listKey()
      const round: string[] = [`a = G.o${a}`, 'b = a', `l = G.o${l}`]
      switch (int(6)) {
        case 0:
          round.push('l.append(b)', 'Py_BEGIN_CRITICAL_SECTION(l)', 'c = l.pop()', 'Py_END_CRITICAL_SECTION()', 'del c')
          break
        case 1:
          round.push('l.append(b)')
          balance.set(l, (balance.get(l) ?? 0) + 1)
          break
        case 2:
          if ((balance.get(l) ?? 0) > 0) {
            round.push('c = l.pop()', 'del c')
            balance.set(l, balance.get(l)! - 1)
          } else round.push('c = b', 'del c')
          break
        case 3:
          round.push('Py_BEGIN_CRITICAL_SECTION2(a, l)', 'c = b', 'l.append(c)', 'c = l.pop()', 'Py_END_CRITICAL_SECTION2()', 'del c')
          break
        case 4:
          round.push('Py_BEGIN_CRITICAL_SECTION(a)', 'c = a', 'd = c', 'del c', 'del d', 'Py_END_CRITICAL_SECTION()')
          break
        default:
          round.push('c = b', 'd = c', 'del c', 'del d')
      }
      if (int(40) === 0) round.push('sleep()')
      if (int(400) === 0) round.push('gc.collect()')
      round.push('del a', 'del b', 'del l')
      out.push(...round)
    }
    out.push('exit')
    programs.push(out)
  }
  // Interleave the workers' lines in chunks, so that the default schedule mixes the threads.
  const pos = programs.map(() => 0)
  for (;;) {
    const left = programs.map((_, i) => i).filter((i) => pos[i]! < programs[i]!.length)
    if (!left.length) break
    const t = left[int(left.length)]!
    const n = 1 + int(12)
    for (let i = 0; i < n && pos[t]! < programs[t]!.length; i++) lines.push(`T${t + 1}: ${programs[t]![pos[t]!++]}`)
  }
  lines.push('main: gc.collect()', 'main: exit')
  return lines.join('\n') + '\n'
}

function collect() {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return false
  gc()
  gc()
  return true
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

function main() {
  const seed = Number(arg('seed', '1'))
  const perThread = Number(arg('statements', '12000'))
  const seeks = Number(arg('seeks', '2000'))
  const scheduleName = arg('schedule', 'default')
  const schedule: RunOptions['schedule'] =
    scheduleName === 'round-robin' ? { k: 'round-robin' } : scheduleName === 'random' ? { k: 'random', seed } : { k: 'default' }

  const text = generate(seed, perThread)
  const t0 = performance.now()
  const parsed = parseScenario(text, 'bench.scenario')
  const parseMs = performance.now() - t0
  if (!parsed.ok) {
    console.error(parsed.errors.slice(0, 5))
    throw new Error('the generated benchmark scenario does not parse')
  }
  const sc = parsed.scenario

  // The first run in a fresh process also pays for compiling the engine (JIT); it is reported as
  // "cold". The figures that count are the steady state: the median of RUNS timed runs after it.
  const tc = performance.now()
  runScenario(sc, { schedule })
  const coldMs = performance.now() - tc
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const timeRun = () => {
    const t = performance.now()
    runScenario(sc, { schedule })
    return performance.now() - t
  }
  const builds = Array.from({ length: RUNS }, timeRun)
  // The trace the seeks use, built like the others: no collection forced before the seeks.
  const trace = runScenario(sc, { schedule })
  const traceBuildMs = median(builds)
  const steps = trace.length
  const stepsPerSecond = steps / (traceBuildMs / 1000)
  const coldStepsPerSecond = steps / (coldMs / 1000)

  // Random positions: consecutive lookups are far apart, so no cache of the last state helps.
  const rnd = prng(seed ^ 0x5eed)
  const positions = Array.from({ length: seeks }, () => Math.floor(rnd() * (steps + 1)))
  let sink = 0
  const seek = (p: number) => {
    const s0 = performance.now()
    sink += trace.stateAt(p).objects.length
    return performance.now() - s0
  }
  // The first seeks after the build, while V8 compiles the seek path; then more warm-up.
  const cold = Array.from({ length: COLD_SEEKS }, () => seek(Math.floor(rnd() * (steps + 1)))).sort((x, y) => x - y)
  // No forced collection before the measured seeks: V8 drops optimised code in a forced full
  // collection, so the seeks after it would measure compilation again (no page ever forces one).
  for (let i = COLD_SEEKS; i < WARM_UP_SEEKS; i++) seek(Math.floor(rnd() * (steps + 1)))
  const measured = positions.map(seek)
  const times = measured.slice().sort((x, y) => x - y)
  // Are the slowest seeks slow because of where they land, or because of a pause (GC, JIT)?
  // Time the five slowest positions again, each after a seek elsewhere (so no cache helps).
  const slowest = positions.map((p, i) => [p, measured[i]!] as const).sort((a, b) => b[1] - a[1]).slice(0, 5)
  const again = slowest.map(([p]) => {
    seek(positions[Math.floor(rnd() * positions.length)]!)
    return seek(p)
  })
  const over = measured.filter((t) => t >= TARGET_SEEK_MS).length
  const seekMedianMs = times.length ? times[Math.floor(times.length / 2)]! : 0
  const seekMaxMs = times.length ? times[times.length - 1]! : 0
  const seekP99Ms = times.length ? times[Math.floor(times.length * 0.99)]! : 0
  const checkpoints = trace.checkpoints.states.length

  // Forced collections only from here on: they make V8 drop optimised code.
  const haveGc = collect()
  const forcedGcBuilds = haveGc
    ? Array.from({ length: RUNS }, () => {
        collect()
        return timeRun()
      })
    : []
  collect()
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const memoryBefore = used()
  const kept = runScenario(sc, { schedule })
  collect()
  const traceMemoryMB = haveGc ? (used() - memoryBefore) / (1024 * 1024) : null
  if (kept.length !== trace.length) throw new Error('the same scenario gave traces of different lengths')
  // Every micro-step's details, once (what `trace --json` or a full timeline needs).
  const d0 = performance.now()
  let detailChars = 0
  for (const step of trace.steps) detailChars += step.narration.length + step.changes.length
  const detailsMs = performance.now() - d0

  const ok = (b: boolean) => (b ? 'ok' : 'MISSED')
  const lines = [
    'PEP 703 Explorer engine benchmark',
    `  scenario        ${sc.threads.length} threads, ${sc.objects.length - 1} objects declared, ${sc.statements.length.toLocaleString('en')} statements, ${(text.length / 1024).toFixed(0)} KiB (seed ${seed}, ${scheduleName} schedule)`,
    `  outcome         ${trace.outcome.kind}: ${trace.outcome.message}; ${trace.violations.length} violation(s)`,
    `  parse           ${parseMs.toFixed(1)} ms`,
    `  trace build     ${traceBuildMs.toFixed(1)} ms for ${steps.toLocaleString('en')} micro-steps, ${checkpoints} checkpoints (median of ${RUNS} runs; the first, cold run took ${coldMs.toFixed(1)} ms)`,
    `  throughput      ${Math.round(stepsPerSecond).toLocaleString('en')} micro-steps/s steady, ${Math.round(coldStepsPerSecond).toLocaleString('en')} cold (target >= ${TARGET_STEPS_PER_SECOND.toLocaleString('en')}: ${ok(stepsPerSecond >= TARGET_STEPS_PER_SECOND)})`,
    `  forced GC       ${forcedGcBuilds.length ? `${median(forcedGcBuilds).toFixed(1)} ms per build when a full collection runs right before each one (${Math.round(steps / (median(forcedGcBuilds) / 1000)).toLocaleString('en')} micro-steps/s)` : 'n/a (run node with --expose-gc)'}`,
    `  details         ${detailsMs.toFixed(1)} ms to read every micro-step's narration and changes once (the run is recorded again with its change log)`,
    `  trace memory    ${traceMemoryMB === null ? 'n/a (run node with --expose-gc)' : `${traceMemoryMB.toFixed(1)} MB (${((traceMemoryMB * 1024 * 1024) / Math.max(1, steps)).toFixed(0)} bytes per micro-step)`}`,
    `  seek            ${seeks} random stateAt(p): median ${seekMedianMs.toFixed(3)} ms, p99 ${seekP99Ms.toFixed(3)} ms, max ${seekMaxMs.toFixed(3)} ms (target every seek < ${TARGET_SEEK_MS} ms: ${ok(seekMaxMs < TARGET_SEEK_MS)}; ${over} at or over)`,
    `  cold seeks      the first ${COLD_SEEKS} after the build: median ${cold[Math.floor(cold.length / 2)]!.toFixed(3)} ms, max ${cold[cold.length - 1]!.toFixed(3)} ms (${cold.filter((t) => t >= TARGET_SEEK_MS).length} at or over ${TARGET_SEEK_MS} ms)`,
    `  slowest seeks   ${slowest.map(([p, t], i) => `stateAt(${p}) ${t.toFixed(2)} ms, again ${again[i]!.toFixed(2)} ms`).join('; ')}`,
  ]
  if (steps < 100_000) lines.push(`  warning         only ${steps} micro-steps: raise --statements`)
  if (sink < 0 || detailChars < 0) lines.push('')
  console.log(lines.join('\n'))
  console.log(
    JSON.stringify({
      stepsPerSecond: Math.round(stepsPerSecond),
      traceBuildMs: round(traceBuildMs, 1),
      traceMemoryMB: traceMemoryMB === null ? null : round(traceMemoryMB, 1),
      seekMedianMs: round(seekMedianMs),
      seekMaxMs: round(seekMaxMs),
    }),
  )
}

// Run only when executed directly, so `generate` can be imported (e.g. by a profiling script).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
