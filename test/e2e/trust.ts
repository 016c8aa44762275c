// End-to-end trust checks of the built app (dist/) in Debian's Chromium:
//
//   npm run build && tsx test/e2e/trust.ts        (part of npm run test:e2e)
//
// - The Content-Security-Policy (scripts/csp.ts, a <meta> the build adds to index.html and
//   embed.html) is in force: an inline script injected into the page is refused, and reported.
// - The app and the iframe page work under it with no violation and no console error: the
//   course, a story played with autoplay, presenter mode, SVG and PNG export, the playground and
//   its explorer worker, embed.html driven by postMessage.
// - Hostile links, stories and embeds (script and markup payloads in #scenario=, ?story=, embed.html's
//   parameters and a <pep703-explorer>'s attributes on a host page) run nothing: window.__pwned
//   stays unset, no dialog opens, and the payload shows as text.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BrowserContext, Page } from 'playwright-core'
import { check, MIME, OVERALL_TIMEOUT_MS, runInChromium, sendDistFile, step } from './harness.ts'

const SUB_PATH = '/trust/'
const PAYLOADS = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', '"><svg onload=window.__pwned=3>', "javascript:window.__pwned=4"]

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** dist/ under SUB_PATH, plus /__host.html: a docs page (no CSP) with hostile <pep703-explorer> elements. */
async function serve(): Promise<{ server: Server; url: string; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      if (pathname === '/__host.html') {
        const els = PAYLOADS.map(
          (p) =>
            `<pep703-explorer heading="${esc(p)}" label="${esc(p)}" mode="${esc(p)}" step="${esc(p)}" controls="minimal">` +
            `<script type="text/plain">title: ${esc(p)}\nthreads: main\nmain: x = list() as L  # ${esc(p)}\n</script></pep703-explorer>`,
        )
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title>
<script type="module" src="${SUB_PATH}embed/pep703-explorer.js"></script></head><body>${els.join('\n')}
<pep703-explorer story="${esc(PAYLOADS[0]!)}"></pep703-explorer></body></html>`
        res.writeHead(200, { 'content-type': MIME['.html']! }).end(html)
        return
      }
      await sendDistFile(res, pathname, SUB_PATH)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return { server, url: `${origin}${SUB_PATH}`, origin }
}

interface Watch {
  readonly violations: string[]
  readonly errors: string[]
  readonly dialogs: string[]
}

/** Records CSP violations (in every frame), console errors, page errors and dialogs. */
async function watch(page: Page): Promise<Watch> {
  const w: Watch = { violations: [], errors: [], dialogs: [] }
  await page.exposeFunction('__cspViolation', (text: string) => w.violations.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation(t: string): void }).__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`)
    })
  })
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text())
  })
  page.on('pageerror', (e) => w.errors.push(e.message))
  page.on('dialog', (d) => {
    w.dialogs.push(d.message())
    void d.dismiss()
  })
  return w
}

/** No violation, console error or dialog since the last call (the lists start over either way). */
function clean(w: Watch, where: string): void {
  const violations = w.violations.splice(0)
  const errors = w.errors.splice(0)
  const dialogs = w.dialogs.splice(0)
  check(violations.length === 0, `CSP violations on ${where}:\n${[...new Set(violations)].join('\n')}`)
  check(errors.length === 0, `console errors on ${where}:\n${[...new Set(errors)].join('\n')}`)
  check(dialogs.length === 0, `dialogs opened on ${where}: ${dialogs.join(', ')}`)
}

async function pwned(page: Page): Promise<unknown[]> {
  const values: unknown[] = []
  for (const frame of page.frames()) values.push(await frame.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned).catch(() => undefined))
  return values.filter((v) => v !== undefined)
}

async function stepOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('player').first().getAttribute('data-step'))
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  let v = await read()
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what} (last: ${JSON.stringify(v)})`)
    await new Promise((r) => setTimeout(r, 100))
    v = await read()
  }
  return v
}

async function run(context: BrowserContext, url: string, origin: string): Promise<void> {
  const page = await context.newPage()
  const w = await watch(page)

  await step('the policy is in the built pages and in force: an injected inline script is refused and reported', async () => {
    await page.goto(`${url}?v=1`)
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
    check(csp !== null && /(^|; )script-src 'self'(;|$)/.test(csp) && !csp.includes('unsafe-eval') && csp.includes("style-src-attr 'none'"), `index.html's policy: ${csp}`)
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inline = 1'
      document.head.append(s)
    })
    await until(async () => w.violations.length, (n) => n > 0, 'no violation was reported for an inline script')
    check((await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)) === undefined, 'the inline script ran')
    // Chromium also logs the refusal as a console error: expected here.
    w.violations.length = 0
    w.errors.length = 0
  })

  await step('the course, a story with autoplay at top speed, and presenter mode work with no violation', async () => {
    await page.goto(`${url}?v=1`)
    await page.getByRole('heading', { name: 'The course' }).waitFor()
    await page.goto(`${url}?v=1&story=07-threads-end&autoplay=1&speed=16`)
    await until(() => stepOf(page), (n) => n >= 5, 'autoplay did not advance')
    await page.goto(`${url}?v=1&story=03-queued-then-merged&step=4&present=1`)
    await page.getByTestId('player').first().waitFor()
    clean(w, 'the course, a story and presenter mode')
  })

  await step('SVG and PNG export work with no violation', async () => {
    await page.goto(`${url}?v=1&story=03-queued-then-merged&step=6`)
    for (const name of ['Export SVG', 'Export PNG']) {
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name }).click()
      const file = await download
      check((await file.path()) !== null, `${name} downloaded nothing`)
    }
    clean(w, 'the export')
  })

  await step('the playground and its explorer (a module worker) run with no violation', async () => {
    const text = 'threads: main, T1\nmain: x = object() as O\nmain: G.x = x\nT1: y = G.x\nT1: del y\nmain: del x\n'
    await page.goto(`${url}?v=1&edit=1#scenario=${b64url(text)}`)
    const explore = page.getByRole('button', { name: 'Explore interleavings' })
    await explore.waitFor({ timeout: 10_000 })
    await explore.click()
    // Done when the button is enabled again and a result is shown.
    await until(() => explore.isEnabled(), (v) => v, 'the explorer did not finish', 20_000)
    await page.waitForTimeout(300)
    clean(w, 'the playground')
  })

  await step('hostile links show their payloads as text and run nothing', async () => {
    for (const p of PAYLOADS) {
      const scenario = `title: ${p}\n# ${p}\nthreads: main\nmain: x = list() as L   # ${p}\nexpect L: local=2\n`
      for (const link of [`?v=1#scenario=${b64url(scenario)}`, `?v=1&story=${encodeURIComponent(p)}`, `?v=1&story=01-owner-fast-path&mode=${encodeURIComponent(p)}&speed=${encodeURIComponent(p)}`, `?v=1&edit=1#scenario=${b64url(scenario)}`]) {
        await page.goto(`${url}${link}`)
        await page.locator('#root *').first().waitFor()
        await page.waitForTimeout(150)
        const body = await page.evaluate(() => document.body.innerText.replace(/\s+/g, ' '))
        check(body.includes(p.replace(/\s+/g, ' ')) || link.includes('edit=1'), `${link}: the payload is not shown as text`)
        check((await page.locator('#root img, #root script, #root iframe, #root [onerror], #root [onload]').count()) === 0, `${link}: markup from the payload is in the page`)
        check((await pwned(page)).length === 0, `${link}: a payload ran`)
      }
    }
    clean(w, 'hostile links')
  })

  await step('embed.html with hostile parameters, driven by postMessage, runs nothing and violates nothing', async () => {
    const p = PAYLOADS[0]!
    const q = new URLSearchParams({ heading: p, label: p, mode: p, step: p, speed: p, story: '03-queued-then-merged', origin: origin })
    await page.goto(`${url}embed.html?${q.toString()}`)
    await page.getByTestId('player').waitFor()
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
    check(csp !== null && /(^|; )script-src 'self'(;|$)/.test(csp) && !csp.includes('unsafe-eval'), `embed.html's policy: ${csp}`)
    check((await page.evaluate(() => document.body.innerText)).includes(p), 'the heading is not shown as text')
    // Not framed: commands from this window are not the parent's; they are counted as ignored.
    await page.evaluate(() => window.postMessage({ type: 'pep703:seek', step: 5 }, '*'))
    await until(() => page.evaluate(() => document.documentElement.dataset.ignoredMessages), (n) => n === '1', 'the message was not ignored')
    check((await stepOf(page)) === 0, 'an unframed page obeyed a message')
    check((await pwned(page)).length === 0, 'a payload ran in embed.html')
    clean(w, 'embed.html')
  })

  await step('<pep703-explorer> elements with hostile attributes on a docs page run nothing', async () => {
    const host = await context.newPage()
    const hw: Watch = { violations: [], errors: [], dialogs: [] }
    host.on('pageerror', (e) => hw.errors.push(e.message))
    host.on('dialog', (d) => {
      hw.dialogs.push(d.message())
      void d.dismiss()
    })
    await host.goto(`${origin}/__host.html`)
    await until(() => host.evaluate(() => [...document.querySelectorAll('pep703-explorer')].filter((e) => e.shadowRoot?.querySelector('[data-testid="player"], [role="alert"]')).length), (n) => n === PAYLOADS.length + 1, 'the elements did not render')
    const found = await host.evaluate(() =>
      [...document.querySelectorAll('pep703-explorer')].map((e) => ({
        markup: e.shadowRoot!.querySelectorAll('img, script, iframe, [onerror], [onload]').length,
        text: e.shadowRoot!.textContent ?? '',
      })),
    )
    for (const [i, p] of PAYLOADS.entries()) {
      check(found[i]!.markup === 0, `element ${i}: markup from the payload`)
      check(found[i]!.text.includes(p), `element ${i}: the payload is not shown as text`)
    }
    check(found.at(-1)!.text.includes('No built-in scenario is named'), 'the unknown story is not explained')
    check((await pwned(host)).length === 0, 'a payload ran on the docs page')
    check(hw.errors.length === 0 && hw.dialogs.length === 0, `errors or dialogs on the docs page: ${[...hw.errors, ...hw.dialogs].join('\n')}`)
    await host.close()
  })
}

async function main(): Promise<number> {
  return runInChromium('trust', { context: { viewport: { width: 1280, height: 900 }, acceptDownloads: true } }, async () => {
    const { server, url, origin } = await serve()
    return { describe: url, checks: (context) => run(context, url, origin), cleanup: () => server.close() }
  })
}

const timer = setTimeout(() => {
  console.error(`trust: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
timer.unref()

process.exitCode = await main()
