// End-to-end check of the built app (dist/) in Debian's Chromium, driven by playwright-core.
//
//   npm run test:e2e            (builds first)
//   CHROMIUM=/path/to/chrome tsx test/e2e/run.ts
//
// Serves dist/ under a sub-path (the build must work from any sub-path), loads the app, walks
// every built-in scenario, switches mode, checks the messages for a bad scenario name and a bad
// mode, runs axe-core, and saves screenshots to test-results/. Exits non-zero on any failure.

import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(ROOT, 'dist')
const RESULTS = path.join(ROOT, 'test-results')
const SUB_PATH = '/some/sub-path/'
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const OVERALL_TIMEOUT_MS = 180_000

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

class CheckFailed extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message)
}

let passed = 0
let failed = 0

async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body()
    passed++
    console.log(`  ok    ${name}`)
  } catch (error) {
    failed++
    const message = error instanceof Error ? error.message : String(error)
    console.error(`  FAIL  ${name}\n        ${message.split('\n').join('\n        ')}`)
  }
}

/** A static server for dist/ mounted at SUB_PATH, on a free loopback port. */
async function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      if (!pathname.startsWith(SUB_PATH)) {
        res.writeHead(404).end('not found')
        return
      }
      let file = path.join(DIST, pathname.slice(SUB_PATH.length))
      if (!file.startsWith(DIST)) {
        res.writeHead(403).end('forbidden')
        return
      }
      try {
        if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html')
        const body = await readFile(file)
        const type = MIME[path.extname(file)] ?? 'application/octet-stream'
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
      } catch {
        res.writeHead(404).end('not found')
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}${SUB_PATH}` }
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(RESULTS, `e2e-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  console.log(`        screenshot: ${path.relative(ROOT, file)}`)
}

async function axe(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  for (const v of results.violations) {
    if (!bad.includes(v)) console.log(`        axe (${v.impact ?? 'minor'}, not failing): ${v.id}: ${v.help}`)
  }
  check(
    bad.length === 0,
    `axe found ${bad.length} serious/critical violation(s) on ${label}:\n` +
      bad
        .map(
          (v) =>
            `${v.impact}: ${v.id}: ${v.help}\n  ${v.nodes
              .slice(0, 5)
              .map((n) => n.target.join(' '))
              .join('\n  ')}`,
        )
        .join('\n'),
  )
}

async function traceRowCount(page: Page): Promise<number> {
  return page.locator('table.trace tbody tr').count()
}

async function run(context: BrowserContext, baseUrl: string): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`)
  })
  page.setDefaultTimeout(15_000)

  let ids: string[] = []
  /** Scenarios that rendered trace rows; later checks use the first of them. */
  const good: string[] = []

  await step('the app loads from a sub-path and lists the built-in scenarios', async () => {
    const response = await page.goto(baseUrl)
    check(response?.ok(), `GET ${baseUrl} answered ${response?.status()}`)
    await page.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).waitFor()
    const links = page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link')
    const hrefs = await links.evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''))
    ids = hrefs.map((href) => new URLSearchParams(href.replace(/^[^?]*/, '')).get('scenario') ?? '')
    check(
      ids.length > 0,
      'the scenario list is empty: add *.scenario files to stories/examples/ (they are bundled at build time)',
    )
    console.log(`        ${ids.length} scenarios: ${ids.join(', ')}`)
    await screenshot(page, 'home')
  })

  if (ids.length === 0) {
    console.error('  STOP  the other checks need at least one built-in scenario')
    return
  }

  await step('every built-in scenario parses and shows trace rows', async () => {
    const problems: string[] = []
    for (const [i, id] of ids.entries()) {
      const link = page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link').nth(i)
      await link.click()
      await page.waitForURL((url) => url.searchParams.get('scenario') === id)
      check(
        (await link.getAttribute('aria-current')) === 'page',
        `the link of ${id} is not marked current after clicking it`,
      )
      const alert = page.getByRole('alert')
      if ((await alert.count()) > 0) {
        problems.push(`${id}: ${(await alert.first().innerText()).replace(/\s+/g, ' ')}`)
        continue
      }
      const rows = await traceRowCount(page)
      if (rows === 0) problems.push(`${id}: no trace rows`)
      else good.push(id)
    }
    check(problems.length === 0, problems.join('\n'))
  })

  const first = good[0] ?? ids[0] ?? ''
  await step('a scenario URL reproduces the view; switching mode updates the URL and the trace', async () => {
    await page.goto(`${baseUrl}?scenario=${encodeURIComponent(first)}`)
    const select = page.getByLabel('Mode')
    await select.waitFor()
    const rowsBefore = await traceRowCount(page)
    check(rowsBefore > 0, `no trace rows for ${first}`)
    const from = await select.inputValue()
    const to = from === 'gil' ? 'free-threaded' : 'gil'
    await select.selectOption(to)
    await page.waitForURL((url) => url.searchParams.get('mode') === to)
    check((await select.inputValue()) === to, `the mode select shows ${await select.inputValue()}, not ${to}`)
    check((await traceRowCount(page)) > 0, `no trace rows for ${first} in mode ${to}`)
    await screenshot(page, 'scenario-gil')
    await page.reload()
    await page.getByLabel('Mode').waitFor()
    check((await page.getByLabel('Mode').inputValue()) === to, 'after a reload the mode is lost')
    await page.goBack()
    await page.waitForURL((url) => url.searchParams.get('mode') === null)
    check((await page.getByLabel('Mode').inputValue()) === from, 'Back does not restore the mode')
    await axe(page, `?scenario=${first}`)
  })

  await step('the keyboard reaches the scenario list and the mode select', async () => {
    await page.goto(`${baseUrl}?scenario=${encodeURIComponent(first)}`)
    await page.getByLabel('Mode').waitFor()
    const seen = new Set<string>()
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      const what = await page.evaluate(() => {
        const el = document.activeElement
        if (!el) return ''
        if (el.closest('nav') && el.tagName === 'A') return 'scenario-link'
        return el.tagName.toLowerCase()
      })
      seen.add(what)
    }
    check(seen.has('scenario-link'), `Tab never reached a scenario link (reached: ${[...seen].join(', ')})`)
    check(seen.has('select'), `Tab never reached the mode select (reached: ${[...seen].join(', ')})`)
  })

  await step('a bad scenario name shows a clear message', async () => {
    await page.goto(`${baseUrl}?scenario=no-such-scenario`)
    const alert = page.getByRole('alert').filter({ hasText: 'No built-in scenario is named' })
    await alert.waitFor()
    const text = await alert.innerText()
    check(text.includes('“no-such-scenario”'), `the message does not name the scenario: ${text}`)
    check(
      (await page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link').count()) === ids.length,
      'the scenario list is not shown next to the message',
    )
    await screenshot(page, 'bad-scenario')
    await axe(page, '?scenario=no-such-scenario')
  })

  await step('a bad mode shows a clear message and falls back to the scenario’s mode', async () => {
    await page.goto(`${baseUrl}?scenario=${encodeURIComponent(first)}&mode=quantum`)
    await page.getByRole('alert').filter({ hasText: 'Unknown mode “quantum”' }).waitFor()
    check((await traceRowCount(page)) > 0, 'no trace rows after falling back')
  })

  await step('no uncaught errors in the page', async () => {
    check(pageErrors.length === 0, pageErrors.join('\n'))
  })
}

async function main(): Promise<number> {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    console.error('e2e: dist/index.html is missing: run `npm run build` first (npm run test:e2e does).')
    return 1
  }
  if (!existsSync(CHROMIUM)) {
    console.error(
      `e2e: no Chromium at ${CHROMIUM}. Install Debian's: apt-get install -y chromium ` +
        '(.ci/run does), or set CHROMIUM=/path/to/chrome.',
    )
    return 1
  }
  await mkdir(RESULTS, { recursive: true })
  const { server, url } = await serveDist()
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'pep703-e2e-'))
  let context: BrowserContext | undefined
  try {
    console.log(`e2e: ${url} in ${CHROMIUM}`)
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-US',
    })
    await run(context, url)
  } catch (error) {
    failed++
    console.error(`  FAIL  e2e setup: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await context?.close().catch(() => undefined)
    server.close()
    await rm(userDataDir, { recursive: true, force: true })
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  return failed === 0 && passed > 0 ? 0 : 1
}

const timer = setTimeout(() => {
  console.error(`e2e: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
timer.unref()

process.exitCode = await main()
