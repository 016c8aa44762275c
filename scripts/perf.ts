// The performance report: `npm run perf`.
//
//   npm run perf [-- --no-build --runs 5 --seconds 8]
//
// Builds the app (npm run build), serves dist/ and measures, in Debian's Chromium on this machine:
// - cold load to the first rendered step: navigation start to the first [data-testid=player]
//   with a data-step, in a fresh browser context (empty cache) each run; median of --runs;
//   the same for a <pep703-explorer> on a docs page (navigation start to its player);
// - the bundles: gzipped size of every script and stylesheet the page requested before that first
//   step (the app), and before the element's player showed (the embed), read from dist/;
// - frame times (requestAnimationFrame deltas) while playing the largest story and the frame
//   benchmark scenario (scripts/benchScenario.ts) at the top speed: median and 95th percentile;
// - the time to jump across a long trace (End then Home on a ~19,000-step scenario, from the
//   click to the frame after the new step is shown);
// - the interleaving explorer's states per second: in Node on a 3-thread scenario, and in
//   Chromium through the playground's explorer (a module worker).
// Writes perf/results.json and rewrites the table between <!-- perf:start --> and
// <!-- perf:end --> in README.md.

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { explore, parseScenario, runScenario } from '../src/engine/index.ts'
import { longestStory } from './longestStory.ts'
import { CHROMIUM, CHROMIUM_ARGS, DIST, MIME, ROOT, sendDistFile } from '../test/e2e/harness.ts'
import { benchScenarioText } from './benchScenario.ts'

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback
}
const RUNS = Number(option('runs', '5'))
const SECONDS = Number(option('seconds', '8'))
const BUILD = !process.argv.includes('--no-build')

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

/** A long trace inside the player's limits (18,008 steps of its 20,000): three threads collect, over and over. */
function longScenario(): { text: string; steps: number } {
  const lines = ['title: A long trace (performance report)', 'threads: main, T1, T2, T3', 'main: x = object() as O', 'main: G.x = x']
  for (let i = 0; i < 3_600; i++) lines.push(`T${1 + (i % 3)}: gc.collect()`)
  const text = lines.join('\n') + '\n'
  const parsed = parseScenario(text)
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
  return { text, steps: runScenario(parsed.scenario).length }
}

/** The explorer benchmark: main publishes two objects, T1 and T2 each read, link and drop them k times. */
/** Each of T1 and T2 repeats its four statements this often: a search of a few seconds. */
const EXPLORE_K = 5

function exploreScenario(k: number): string {
  const lines = ['title: Explorer benchmark: three threads share two objects', 'threads: main, T1, T2', 'main: a = list() as A', 'main: b = dict() as B', 'main: G.a = a', 'main: G.b = b']
  for (const t of ['T1', 'T2']) for (let i = 0; i < k; i++) lines.push(`${t}: x${i} = G.a`, `${t}: y${i} = G.b`, `${t}: x${i}.append(y${i})`, `${t}: del x${i}`)
  lines.push('main: del a', 'main: del b')
  return lines.join('\n') + '\n'
}

function exploreInNode(): { statesPerSecond: number; states: number; ms: number } {
  const warm = parseScenario(exploreScenario(2))
  const big = parseScenario(exploreScenario(EXPLORE_K))
  if (!warm.ok || !big.ok) throw new Error('the explorer benchmark does not parse')
  explore(warm.scenario, { now: () => performance.now() })
  const rates: { statesPerSecond: number; states: number; ms: number }[] = []
  for (let i = 0; i < 3; i++) {
    const r = explore(big.scenario, { now: () => performance.now(), limits: { maxMs: 60_000 } })
    rates.push({ statesPerSecond: r.states / (r.ms / 1000), states: r.states, ms: r.ms })
  }
  return rates.sort((a, b) => a.statesPerSecond - b.statesPerSecond)[1]!
}

const SUB_PATH = '/perf/'

async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      if (pathname === '/__docs.html') {
        res.writeHead(200, { 'content-type': MIME['.html']!, 'cache-control': 'no-store' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title>
<script type="module" src="${SUB_PATH}embed/pep703-explorer.js"></script></head><body><h1>Docs</h1>
<pep703-explorer story="03-queued-then-merged" step="12" controls="minimal"></pep703-explorer></body></html>`)
        return
      }
      await sendDistFile(res, pathname, SUB_PATH)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** Records, from navigation start, when the first player with a data-step appears (document or a shadow root). */
const FIRST_STEP_PROBE = `(() => {
  const found = () => document.querySelector('[data-testid="player"][data-step]') || [...document.querySelectorAll('pep703-explorer')].some((e) => e.shadowRoot && e.shadowRoot.querySelector('[data-testid="player"][data-step]'))
  const done = () => { if (window.__firstStep === undefined && found()) { window.__firstStep = performance.now(); return true } return false }
  const mo = new MutationObserver(() => { if (done()) mo.disconnect() })
  mo.observe(document, { childList: true, subtree: true, attributes: true })
  const shadows = setInterval(() => { if (done()) clearInterval(shadows) }, 2)
})()`

/** Cold loads of `url`: ms to the first step, and the gzipped bytes of the scripts and styles fetched by then. */
async function coldLoad(browser: Browser, url: string, prefix: string): Promise<{ ms: number; jsGz: number; cssGz: number; files: string[] }> {
  const times: number[] = []
  let files: string[] = []
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.addInitScript(FIRST_STEP_PROBE)
    const requested: { url: string; at: number }[] = []
    page.on('request', (r) => requested.push({ url: r.url(), at: Date.now() }))
    await page.goto(url)
    await page.waitForFunction(() => (window as unknown as { __firstStep?: number }).__firstStep !== undefined, undefined, { timeout: 30_000 })
    times.push(await page.evaluate(() => (window as unknown as { __firstStep: number }).__firstStep))
    if (run === 0) {
      const at = Date.now()
      files = requested.filter((r) => r.at <= at && r.url.includes(prefix) && /\.(js|css)$/.test(new URL(r.url).pathname)).map((r) => new URL(r.url).pathname.slice(SUB_PATH.length))
    }
    await context.close()
  }
  let jsGz = 0
  let cssGz = 0
  for (const f of new Set(files)) {
    const gz = gzipSync(await readFile(path.join(DIST, f)), { level: 9 }).length
    if (f.endsWith('.css')) cssGz += gz
    else jsGz += gz
  }
  return { ms: median(times), jsGz, cssGz, files: [...new Set(files)] }
}

/** rAF deltas while playing at the top speed for SECONDS (Play again at the end). */
async function frames(page: Page): Promise<{ median: number; p95: number; frames: number }> {
  const player = page.getByTestId('player').first()
  await player.waitFor()
  await player.getByRole('button', { name: 'Play', exact: true }).click()
  await page.waitForTimeout(1000)
  const deltas: number[] = await page.evaluate(async (seconds) => {
    const out: number[] = []
    const el = document.querySelector('[data-testid="player"]')!
    await new Promise<void>((resolve) => {
      let previous = performance.now()
      const end = previous + seconds * 1000
      const frame = (now: number) => {
        out.push(now - previous)
        previous = now
        el.querySelector<HTMLButtonElement>('button[aria-label="Play"]')?.click()
        if (now < end) requestAnimationFrame(frame)
        else resolve()
      }
      requestAnimationFrame(frame)
    })
    return out.slice(1)
  }, SECONDS)
  return { median: round(median(deltas), 2), p95: round(percentile(deltas, 95), 2), frames: deltas.length }
}

/** From a click on End (or Home) to the frame after the player shows the new step. */
async function jump(page: Page, button: string, target: number): Promise<number> {
  return page.evaluate(
    async ({ button, target }) => {
      const el = document.querySelector('[data-testid="player"]')!
      const b = el.querySelector<HTMLButtonElement>(`button[aria-label="${button}"]`)!
      const t0 = performance.now()
      b.click()
      await new Promise<void>((resolve) => {
        const check = () => (Number(el.getAttribute('data-step')) === target ? resolve() : requestAnimationFrame(check))
        check()
      })
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
      return performance.now() - t0
    },
    { button, target },
  )
}

async function exploreInChromium(browser: Browser, origin: string): Promise<{ statesPerSecond: number; states: number; ms: number } | null> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  try {
    // Warm up with a small search, then the benchmark.
    const rates: number[] = []
    let last = { states: 0, ms: 0 }
    for (const k of [2, EXPLORE_K, EXPLORE_K, EXPLORE_K]) {
      // A blank page between runs: a new #scenario= alone would not reload the playground.
      await page.goto('about:blank')
      await page.goto(`${origin}${SUB_PATH}?v=1&edit=1#scenario=${b64url(exploreScenario(k))}`)
      const button = page.getByRole('button', { name: 'Explore interleavings' })
      await button.waitFor({ timeout: 15_000 })
      await button.click()
      const text = await page.getByText(/distinct states explored/).textContent({ timeout: 120_000 })
      const m = /([\d,]+) distinct states explored .* in ([\d.]+) s/.exec(text ?? '')
      if (!m) throw new Error(`unexpected explorer result: ${text}`)
      last = { states: Number(m[1]!.replace(/,/g, '')), ms: Number(m[2]) * 1000 }
      if (k === EXPLORE_K) rates.push(last.states / (last.ms / 1000))
    }
    return { statesPerSecond: median(rates), ...last }
  } catch (error) {
    console.error(`perf: the explorer in Chromium was not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
    return null
  } finally {
    await context.close()
  }
}

const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`

async function main(): Promise<number> {
  if (BUILD) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run without --no-build')
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM=/path/to/chrome`)

  const story = longestStory()
  const long = longScenario()
  console.log(`perf: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(2)}, node ${process.version}`)
  const node = exploreInNode()
  console.log(`perf: explorer in Node: ${Math.round(node.statesPerSecond)} states/s (${node.states} states in ${Math.round(node.ms)} ms)`)

  const { server, origin } = await serve()
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  try {
    const version = browser.version()
    const app = await coldLoad(browser, `${origin}${SUB_PATH}?v=1&story=03-queued-then-merged&step=12`, SUB_PATH)
    console.log(`perf: app cold load to the first step: ${round(app.ms)} ms; ${app.files.length} files, JS ${kb(app.jsGz)} + CSS ${kb(app.cssGz)} gzipped`)
    const embed = await coldLoad(browser, `${origin}/__docs.html`, `${SUB_PATH}embed/`)
    console.log(`perf: embed cold load to the first step: ${round(embed.ms)} ms; ${embed.files.length} files, JS ${kb(embed.jsGz)} + CSS ${kb(embed.cssGz)} gzipped`)

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'no-preference' })
    const page = await context.newPage()
    await page.addInitScript('window.__name = (f) => f')
    await page.addInitScript('localStorage.setItem("pep703-explorer:skip-predictions", "true")')
    await page.goto(`${origin}${SUB_PATH}?v=1&story=${story.id}&speed=16`)
    const storyFrames = await frames(page)
    console.log(`perf: frames, ${story.id} (${story.steps} steps) at 16×: median ${storyFrames.median} ms, p95 ${storyFrames.p95} ms (${storyFrames.frames} frames)`)
    await page.goto(`${origin}${SUB_PATH}?v=1&speed=16#scenario=${b64url(benchScenarioText())}`)
    const benchFrames = await frames(page)
    console.log(`perf: frames, benchmark scenario (8 threads, 64 objects) at 16×: median ${benchFrames.median} ms, p95 ${benchFrames.p95} ms`)

    await page.goto(`${origin}${SUB_PATH}?v=1#scenario=${b64url(long.text)}`)
    await page.getByTestId('player').first().waitFor()
    const last = Number(await page.getByTestId('player').first().getByRole('slider', { name: 'Timeline' }).getAttribute('max'))
    const jumps: number[] = []
    for (let i = 0; i < 5; i++) {
      jumps.push(await jump(page, 'Go to end', last))
      jumps.push(await jump(page, 'Go to start', 0))
    }
    const jumpMs = round(median(jumps))
    console.log(`perf: jump across ${last} steps (End, Home): median ${jumpMs} ms, worst ${round(Math.max(...jumps))} ms`)
    await context.close()

    const chrome = await exploreInChromium(browser, origin)
    if (chrome) console.log(`perf: explorer in Chromium (playground worker): ${Math.round(chrome.statesPerSecond)} states/s (${chrome.states} states in ${Math.round(chrome.ms)} ms)`)

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model.trim() ?? '', loadAverage: round(loadavg()[0]!, 2), node: process.version, chromium: version },
      coldLoadMs: { app: round(app.ms), embed: round(embed.ms) },
      bundlesGzipBytes: { appJs: app.jsGz, appCss: app.cssGz, appFiles: app.files, embedJs: embed.jsGz, embedCss: embed.cssGz, embedFiles: embed.files },
      frames: { story: { id: story.id, steps: story.steps, ...storyFrames }, bench: benchFrames, speed: 16, seconds: SECONDS },
      jump: { steps: last, medianMs: jumpMs, worstMs: round(Math.max(...jumps)) },
      explorer: { node: { statesPerSecond: Math.round(node.statesPerSecond), states: node.states, ms: Math.round(node.ms) }, chromium: chrome && { statesPerSecond: Math.round(chrome.statesPerSecond), states: chrome.states, ms: chrome.ms } },
    }
    await mkdir(path.join(ROOT, 'perf'), { recursive: true })
    await writeFile(path.join(ROOT, 'perf', 'results.json'), JSON.stringify(results, null, 2) + '\n')

    const rows = [
      ['Cold load to the first rendered step: app', `${results.coldLoadMs.app} ms`],
      ['Cold load to the first rendered step: `<pep703-explorer>` on a docs page', `${results.coldLoadMs.embed} ms`],
      ['App, first load (gzipped JS + CSS)', `${kb(app.jsGz)} + ${kb(app.cssGz)}`],
      ['Embed, until its player shows (gzipped JS; its CSS is inside)', kb(embed.jsGz + embed.cssGz)],
      [`Frame time playing the largest story (${story.id}) at 16×: median / p95`, `${storyFrames.median} / ${storyFrames.p95} ms`],
      ['Frame time playing the benchmark scenario (8 threads, 64 objects) at 16×: median / p95', `${benchFrames.median} / ${benchFrames.p95} ms`],
      [`Jump across a trace of ${last.toLocaleString('en')} steps (End / Home)`, `${jumpMs} ms`],
      ['Interleaving explorer, 3 threads (Node)', `${results.explorer.node.statesPerSecond.toLocaleString('en')} states/s`],
      ['Interleaving explorer, 3 threads (Chromium, playground worker)', chrome ? `${Math.round(chrome.statesPerSecond).toLocaleString('en')} states/s` : 'not measured'],
    ]
    const table = [
      `Measured by \`npm run perf\` on ${results.date.slice(0, 10)}: ${results.machine.cpus} × ${results.machine.cpu}, Chromium ${version}, load average ${results.machine.loadAverage}. Written by the script; do not edit by hand.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    ].join('\n')
    const readmePath = path.join(ROOT, 'README.md')
    const readme = await readFile(readmePath, 'utf8')
    const marked = /<!-- perf:start -->[\s\S]*?<!-- perf:end -->/
    if (marked.test(readme)) {
      await writeFile(readmePath, readme.replace(marked, `<!-- perf:start -->\n${table}\n<!-- perf:end -->`))
      console.log('perf: README.md table updated')
    } else console.log('perf: README.md has no <!-- perf:start --> … <!-- perf:end --> markers; table not written')
    console.log(JSON.stringify(results))
    return 0
  } finally {
    await browser.close()
    server.close()
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`perf: ${error instanceof Error ? error.stack : String(error)}`)
  return 1
})
