// Long runs: `npm run soak` (10 minutes; 1 minute when CI=true or with --minutes 1).
//
//   npm run soak [-- --minutes 10 --sample 5 --churn 200]
//
// 1. Soak: serves dist/ (built if missing), opens the longest story (by micro-steps, worked out
//    with the engine) with autoplay at the top speed in Debian's Chromium and keeps it playing in
//    a loop (Play again at the end) for the given time. Every --sample seconds it forces a garbage
//    collection and records the JS heap in use, the DOM node count and the event listener count
//    (Chrome DevTools Protocol: HeapProfiler.collectGarbage, Performance.getMetrics). After a
//    warm-up (the first fifth), growth from the first samples to the last must stay under 5 %.
// 2. Churn: switches stories (the app's own navigation), modes and the side-by-side view, and
//    adds and removes <pep703-explorer> elements and embed.html iframes on a docs page, --churn
//    times each; then after a garbage collection, DOM nodes, listeners, documents, live
//    intervals and pending timeouts must be back near where they started (5 %, or a few dozen
//    nodes for what a page keeps by design, such as React's pools).
// Prints a table and one JSON line, writes perf/soak.json, exits 1 when a bound is broken.

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import { longestStory } from './longestStory.ts'
import { SKIP_PREDICTIONS_KEY } from '../src/app/course/progress.ts'
import { CHROMIUM, CHROMIUM_ARGS, DIST, MIME, ROOT, sendDistFile } from '../test/e2e/harness.ts'

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback
}

const MINUTES = Number(option('minutes', process.env.SOAK_MINUTES ?? (process.env.CI === 'true' ? '1' : '10')))
const SAMPLE_S = Number(option('sample', '5'))
const CHURN = Number(option('churn', '200'))
const MAX_GROWTH = 0.05

const SUB_PATH = '/soak/'

async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      if (pathname === '/__docs.html') {
        res.writeHead(200, { 'content-type': MIME['.html']! }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title>
<script type="module" src="${SUB_PATH}embed/pep703-explorer.js"></script></head><body><main id="slot"></main></body></html>`)
        return
      }
      await sendDistFile(res, pathname, SUB_PATH)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** Counts live intervals and pending timeouts and animation frames (what a leaked timer shows up as). */
const TIMER_PROBE = `(() => {
  const live = { intervals: new Set(), timeouts: new Set(), frames: new Set() }
  const si = window.setInterval, ci = window.clearInterval, st = window.setTimeout, ct = window.clearTimeout
  const raf = window.requestAnimationFrame, caf = window.cancelAnimationFrame
  window.setInterval = function (...a) { const id = si.apply(this, a); live.intervals.add(id); return id }
  window.clearInterval = function (id) { live.intervals.delete(id); return ci.call(this, id) }
  window.setTimeout = function (f, ...a) { let id; const g = typeof f === 'function' ? function (...b) { live.timeouts.delete(id); return f.apply(this, b) } : f; id = st.call(this, g, ...a); live.timeouts.add(id); return id }
  window.clearTimeout = function (id) { live.timeouts.delete(id); return ct.call(this, id) }
  window.requestAnimationFrame = function (f) { let id; id = raf.call(this, (t) => { live.frames.delete(id); f(t) }); live.frames.add(id); return id }
  window.cancelAnimationFrame = function (id) { live.frames.delete(id); return caf.call(this, id) }
  window.__timers = () => ({ intervals: live.intervals.size, timeouts: live.timeouts.size, frames: live.frames.size })
})()`

interface Sample {
  readonly t: number
  readonly heapMB: number
  readonly nodes: number
  readonly listeners: number
  readonly documents: number
}

async function sample(cdp: CDPSession, t0: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? Number.NaN
  return { t: (Date.now() - t0) / 1000, heapMB: m('JSHeapUsedSize') / 2 ** 20, nodes: m('Nodes'), listeners: m('JSEventListeners'), documents: m('Documents') }
}

const pct = (from: number, to: number) => (to - from) / from
const fmt = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`

async function soak(context: BrowserContext, origin: string, story: { id: string; steps: number }): Promise<{ ok: boolean; result: Record<string, unknown> }> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  // Skip predictions, so that playing stops only at the end (a projector left running).
  await page.addInitScript(`localStorage.setItem(${JSON.stringify(SKIP_PREDICTIONS_KEY)}, 'true')`)
  await page.goto(`${origin}${SUB_PATH}?v=1&story=${story.id}&autoplay=1&speed=16`)
  const player = page.getByTestId('player').first()
  await player.waitFor()
  const play = player.getByRole('button', { name: 'Play', exact: true })
  // Loop: when the story ends, play it again. Samples are taken at the end of a loop, so that
  // every sample shows the same picture (the node count depends on the step shown).
  let loops = 0
  let sampling = false
  const loop = setInterval(() => {
    if (sampling) return
    void play
      .click({ timeout: 300 })
      .then(() => loops++)
      .catch(() => undefined)
  }, 250)
  const atEnd = async () => {
    sampling = true
    await play.waitFor({ timeout: 10_000 })
    // The last step's animation (transient elements) finishes first.
    await page.waitForTimeout(1000)
  }
  const t0 = Date.now()
  const end = t0 + MINUTES * 60_000
  const samples: Sample[] = []
  try {
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, SAMPLE_S * 1000))
      await atEnd()
      samples.push(await sample(cdp, t0))
      sampling = false
      const s = samples.at(-1)!
      if (process.env.SOAK_VERBOSE || samples.length % Math.max(1, Math.round(30 / SAMPLE_S)) === 0) console.log(`soak: ${s.t.toFixed(0)} s: heap ${s.heapMB.toFixed(2)} MB, ${s.nodes} nodes, ${s.listeners} listeners, ${loops} loops`)
    }
  } finally {
    clearInterval(loop)
  }
  const step = Number(await player.getAttribute('data-step'))
  await page.close()
  // Warm-up: the first fifth, and at least 30 s (code caches and pools fill in the first half minute).
  const warm = samples.filter((s) => s.t >= Math.max(30, (MINUTES * 60) / 5))
  // The floor (minimum) of the first and the last third after warm-up: a leak raises the floor,
  // while a sample that caught a passing state (a hover, a last animation) only adds a peak.
  const k = Math.max(1, Math.floor(warm.length / 3))
  const first = warm.slice(0, k)
  const last = warm.slice(-k)
  const floor = (xs: readonly Sample[], f: (s: Sample) => number) => Math.min(...xs.map(f))
  const growth = {
    heap: pct(floor(first, (s) => s.heapMB), floor(last, (s) => s.heapMB)),
    nodes: pct(floor(first, (s) => s.nodes), floor(last, (s) => s.nodes)),
    listeners: pct(floor(first, (s) => s.listeners), floor(last, (s) => s.listeners)),
  }
  const ok = warm.length >= 2 && loops >= 2 && errors.length === 0 && Object.values(growth).every((g) => g < MAX_GROWTH)
  console.log(
    `soak: ${story.id} (${story.steps} steps) at 16×, ${MINUTES} min, ${loops} loops, ${samples.length} samples (${warm.length} after warm-up); ` +
      `growth after warm-up: heap ${fmt(growth.heap)} (${floor(first, (s) => s.heapMB).toFixed(2)} → ${floor(last, (s) => s.heapMB).toFixed(2)} MB), ` +
      `nodes ${fmt(growth.nodes)} (${floor(first, (s) => s.nodes).toFixed(0)} → ${floor(last, (s) => s.nodes).toFixed(0)}), ` +
      `listeners ${fmt(growth.listeners)} (${floor(first, (s) => s.listeners).toFixed(0)} → ${floor(last, (s) => s.listeners).toFixed(0)})`,
  )
  if (errors.length) console.error(`soak: errors in the page:\n${errors.join('\n')}`)
  if (loops < 2) console.error(`soak: the story looped ${loops} times (last step ${step})`)
  if (warm.length < 2) console.error(`soak: too short to judge: ${warm.length} sample(s) after the ${Math.max(30, (MINUTES * 60) / 5)} s warm-up; run at least --minutes 1`)
  return { ok, result: { story: story.id, steps: story.steps, minutes: MINUTES, loops, samples, growth } }
}

interface Counts {
  nodes: number
  listeners: number
  documents: number
  heapMB: number
  intervals: number
  timeouts: number
  frames: number
}

async function counts(page: Page, cdp: CDPSession): Promise<Counts> {
  // Let pending work (unmount effects, timers of the last step) finish first.
  await page.waitForTimeout(300)
  const s = await sample(cdp, 0)
  const timers = await page.evaluate(() => (window as unknown as { __timers(): { intervals: number; timeouts: number; frames: number } }).__timers())
  return { nodes: s.nodes, listeners: s.listeners, documents: s.documents, heapMB: s.heapMB, ...timers }
}

function compare(what: string, before: Counts, after: Counts): boolean {
  // Nodes and listeners: 5 % or a small absolute margin; documents, intervals and timeouts: exact
  // (+1 timeout for a debounce in flight), animation frames: at most the one a paused player keeps.
  const near = (a: number, b: number, slack: number) => b - a <= Math.max(a * MAX_GROWTH, slack)
  const ok =
    near(before.nodes, after.nodes, 60) &&
    near(before.listeners, after.listeners, 10) &&
    after.documents <= before.documents &&
    after.intervals <= before.intervals &&
    after.timeouts <= before.timeouts + 1 &&
    after.frames <= before.frames + 1
  const row = (k: keyof Counts) => `${k} ${Number(before[k].toFixed(2))} → ${Number(after[k].toFixed(2))}`
  console.log(`churn: ${ok ? 'ok  ' : 'FAIL'} ${what}: ${(['nodes', 'listeners', 'documents', 'intervals', 'timeouts', 'frames', 'heapMB'] as const).map(row).join(', ')}`)
  return ok
}

async function churn(context: BrowserContext, origin: string): Promise<{ ok: boolean; result: Record<string, unknown> }> {
  const results: Record<string, unknown> = {}
  let ok = true
  const page = await context.newPage()
  await page.addInitScript(TIMER_PROBE)
  // tsx keeps function names with a __name() helper that the page does not have.
  await page.addInitScript('window.__name = (f) => f')
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))

  // Stories and modes, through the app's own navigation (history + popstate, as links and Back do).
  await page.goto(`${origin}${SUB_PATH}?v=1&story=01-owner-fast-path`)
  await page.getByTestId('player').first().waitFor()
  const ids = ['01-owner-fast-path', 'queued-merge', '03-queued-then-merged', 'why-the-gil', '07-naive-locks-deadlock', 'threads-end']
  const cycle = async (n: number) => {
    await page.evaluate(
      async ({ n, ids }) => {
        const modes = ['free-threaded', 'gil', 'atomic', 'unsafe']
        const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)))
        for (let i = 0; i < n; i++) {
          const compare = i % 3 === 0 ? `&compare=${modes[(i + 1) % 4]}` : ''
          history.pushState(null, '', `?v=1&story=${ids[i % ids.length]}&mode=${modes[i % 4]}${compare}&step=${i % 7}`)
          dispatchEvent(new PopStateEvent('popstate'))
          await frame()
          if (i % 10 === 0) {
            // Play a little, then the course page.
            document.querySelector<HTMLButtonElement>('[data-testid="player"] button[aria-label="Play"]')?.click()
            await frame()
            await frame()
            history.pushState(null, '', '?v=1')
            dispatchEvent(new PopStateEvent('popstate'))
            await frame()
          }
        }
        history.pushState(null, '', `?v=1&story=${ids[0]}`)
        dispatchEvent(new PopStateEvent('popstate'))
        await frame()
      },
      { n, ids },
    )
  }
  await cycle(20)
  const before = await counts(page, cdp)
  await cycle(CHURN)
  const after = await counts(page, cdp)
  ok = compare(`${CHURN} switches of story, mode and side-by-side view (and the course every 10th)`, before, after) && ok
  results.app = { before, after }

  // Embeds on a docs page: <pep703-explorer> elements and embed.html iframes, added and removed.
  await page.goto(`${origin}/__docs.html`)
  const embeds = async (n: number) => {
    await page.evaluate(
      async ({ n, sub }) => {
        const slot = document.getElementById('slot')!
        const until = async (f: () => boolean) => {
          for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10))
        }
        for (let i = 0; i < n; i++) {
          const el = document.createElement('pep703-explorer')
          el.setAttribute('story', i % 2 ? '03-queued-then-merged' : '01-owner-fast-path')
          el.setAttribute('autoplay', '')
          el.setAttribute('speed', '16')
          slot.append(el)
          await until(() => Boolean(el.shadowRoot?.querySelector('[data-testid="player"]')))
          el.remove()
          if (i % 10 === 0) {
            const frame = document.createElement('iframe')
            frame.src = `${sub}embed.html?story=03-queued-then-merged&autoplay=1`
            frame.title = 'embed'
            slot.append(frame)
            await new Promise((r) => frame.addEventListener('load', r, { once: true }))
            frame.remove()
          }
        }
      },
      { n, sub: SUB_PATH },
    )
    await page.waitForTimeout(200)
  }
  await embeds(20)
  const embedBefore = await counts(page, cdp)
  await embeds(CHURN)
  const embedAfter = await counts(page, cdp)
  ok = compare(`${CHURN} <pep703-explorer> elements and ${Math.ceil(CHURN / 10)} embed.html iframes added and removed`, embedBefore, embedAfter) && ok
  results.embeds = { before: embedBefore, after: embedAfter }
  if (errors.length) {
    ok = false
    console.error(`churn: errors in the page:\n${errors.join('\n')}`)
  }
  await page.close()
  return { ok, result: results }
}

async function main(): Promise<number> {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    console.log('soak: dist/ is missing; running `npm run build`')
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`soak: no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM=/path/to/chrome`)
    return 1
  }
  const story = longestStory()
  const { server, origin } = await serve()
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'pep703-soak-'))
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, reducedMotion: 'no-preference' })
  try {
    const s = await soak(context, origin, story)
    const c = await churn(context, origin)
    await mkdir(path.join(ROOT, 'perf'), { recursive: true })
    const report = { date: new Date().toISOString(), soak: s.result, churn: c.result, ok: s.ok && c.ok }
    await writeFile(path.join(ROOT, 'perf', 'soak.json'), JSON.stringify(report, null, 2) + '\n')
    console.log(JSON.stringify({ soakGrowth: s.result.growth, soakMinutes: MINUTES, churn: CHURN, ok: report.ok }))
    console.log(report.ok ? 'soak: held' : 'soak: FAILED')
    return report.ok ? 0 : 1
  } finally {
    await context.close().catch(() => undefined)
    server.close()
    await rm(userDataDir, { recursive: true, force: true })
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? error.stack : String(error)}`)
  return 1
})
