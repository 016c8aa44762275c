// The frame-time benchmark's scenario: 8 threads, 64 objects, with cross-thread references,
// queueing, merges, frees and contended critical sections, so every kind of animation runs.

export const BENCH_THREADS = 8
export const BENCH_OBJECTS_PER_THREAD = 8

export function benchScenarioText(): string {
  const threads = ['main', ...Array.from({ length: BENCH_THREADS - 1 }, (_, i) => `T${i + 1}`)]
  const kinds = ['list()', 'dict()', 'object()', 'list()']
  const lines = [
    `title: Frame-time benchmark: ${BENCH_THREADS} threads, ${BENCH_THREADS * BENCH_OBJECTS_PER_THREAD} objects`,
    `threads: ${threads.join(', ')}`,
    'schedule: round-robin',
  ]
  // Every thread allocates its objects and publishes them.
  for (const [t, name] of threads.entries()) {
    for (let k = 0; k < BENCH_OBJECTS_PER_THREAD; k++) {
      lines.push(`${name}: v${k} = ${kinds[k % kinds.length]} as O${t}_${k}`)
      lines.push(`${name}: G.g${t}_${k} = v${k}`)
    }
  }
  // Every thread reads its neighbour's objects (shared increments), locks one of them, drops them.
  for (const [t, name] of threads.entries()) {
    const n = (t + 1) % threads.length
    for (let k = 0; k < BENCH_OBJECTS_PER_THREAD; k++) lines.push(`${name}: r${k} = G.g${n}_${k}`)
    lines.push(`${name}: Py_BEGIN_CRITICAL_SECTION(r0)`)
    lines.push(`${name}: r0.append(r1)`)
    lines.push(`${name}: Py_END_CRITICAL_SECTION()`)
  }
  // Owners let go first (local counts reach zero: merges), then the globals go, then readers drop.
  for (const [t, name] of threads.entries()) {
    for (let k = 0; k < BENCH_OBJECTS_PER_THREAD; k++) lines.push(`${name}: del v${k}`)
    for (let k = 0; k < BENCH_OBJECTS_PER_THREAD; k++) lines.push(`${name}: del G.g${t}_${k}`)
  }
  for (const name of threads) {
    for (let k = 0; k < BENCH_OBJECTS_PER_THREAD; k++) lines.push(`${name}: del r${k}`)
    lines.push(`${name}: pass`)
  }
  return `${lines.join('\n')}\n`
}
