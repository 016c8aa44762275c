// Explorer benchmark: `npm run bench:explore [-- --runs 5] [--no-browser]`.
//
// Exhausts a 3-thread scenario of 4 statements per thread (scripts/exploreBench.ts) in every
// mode, with workers starting after main's setup (the default) and at any time, in Node and in
// Debian's Chromium (the same code bundled by Vite into the page). Prints a table per runtime:
// distinct states, micro-steps run, the median time to exhaust the search and states per
// second; ends with one JSON line. The aim: every exhaustive search of this size under 1 s.

import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { build } from 'vite'
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/harness.ts'
import { runExploreBench, type ExploreBenchRow } from './exploreBench.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg >= 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 5) : 5
const BROWSER = !process.argv.includes('--no-browser')

function table(title: string, rows: readonly ExploreBenchRow[]): string {
  const lines = [title, `  ${'mode'.padEnd(14)} ${'threads start'.padEnd(14)} ${'states'.padStart(8)} ${'steps run'.padStart(10)} ${'exhaust ms'.padStart(11)} ${'states/s'.padStart(10)}`]
  for (const r of rows) {
    lines.push(`  ${r.mode.padEnd(14)} ${r.threadStart.padEnd(14)} ${String(r.states).padStart(8)} ${String(r.transitions).padStart(10)} ${r.ms.toFixed(1).padStart(11)} ${String(r.statesPerSecond).padStart(10)}${r.exhaustive ? '' : '  (NOT exhaustive)'}`)
  }
  return lines.join('\n')
}

const summary = (rows: readonly ExploreBenchRow[]) => {
  const states = rows.reduce((s, r) => s + r.states, 0)
  const ms = rows.reduce((s, r) => s + r.ms, 0)
  return { statesPerSecond: Math.round((states / ms) * 1000), exhaustMsMax: Math.max(...rows.map((r) => r.ms)), allExhaustive: rows.every((r) => r.exhaustive) }
}

/** The same workload in Chromium: exploreBench.ts bundled as a classic script. */
async function inChromium(): Promise<ExploreBenchRow[]> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: { write: false, minify: true, lib: { entry: path.join(ROOT, 'scripts/exploreBench.ts'), formats: ['iife'], name: 'ExploreBench' } },
  })
  const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string }[] }[]
  const code = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk')!.code!
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    await page.setContent('<!doctype html><title>explorer benchmark</title>')
    await page.addScriptTag({ content: code })
    return await page.evaluate((runs) => (globalThis as unknown as { ExploreBench: { runExploreBench: typeof runExploreBench } }).ExploreBench.runExploreBench(runs, () => performance.now()), RUNS)
  } finally {
    await browser.close()
  }
}

console.log(`explorer benchmark: median of ${RUNS} runs after a warm-up; load average ${loadavg()[0]!.toFixed(2)}`)
const node = runExploreBench(RUNS, () => performance.now())
console.log(table(`Node ${process.version}`, node))
let browserRows: ExploreBenchRow[] | null = null
if (BROWSER) {
  browserRows = await inChromium()
  console.log(table('Chromium (Debian, headless)', browserRows))
}
const result = { node: summary(node), chromium: browserRows ? summary(browserRows) : null }
console.log(JSON.stringify({ nodeStatesPerSecond: result.node.statesPerSecond, nodeExhaustMsMax: result.node.exhaustMsMax, chromiumStatesPerSecond: result.chromium?.statesPerSecond ?? null, chromiumExhaustMsMax: result.chromium?.exhaustMsMax ?? null, allExhaustive: result.node.allExhaustive && (result.chromium?.allExhaustive ?? true) }))
