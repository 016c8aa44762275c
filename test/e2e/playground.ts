// End-to-end check of the playground in the built app (dist/), in Debian's Chromium:
//
//   npm run build && tsx test/e2e/playground.ts        (npm run test:e2e runs it too)
//
// Opens the playground from a sub-path, types a scenario with a typo and finds the error marker
// at its line and column, fixes it and plays the run, copies the share link and opens it in a
// new page, reloads and finds the work restored, opens a damaged link, explores an unsafe
// two-thread scenario in the worker (and cancels a long search), opens the use-after-free in
// the animation at its step, and checks the layout at 1280×800 and 390×844 (screenshots in
// test-results/ and /tmp/shots/), axe and the keyboard.

import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { BrowserContext, Page } from 'playwright-core'
import { check, CheckFailed, OVERALL_TIMEOUT_MS, RESULTS, ROOT, runInChromium, sendDistFile, step } from './harness.ts'

const SUB_PATH = '/tools/pep703/'
const SHOTS = process.env.SHOTS ?? '/tmp/shots'

async function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void sendDistFile(res, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname), SUB_PATH)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}${SUB_PATH}` }
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(RESULTS, `playground-${name}.png`)
  // Grow the viewport to the whole page first, so sticky parts sit where a reader would see them.
  const size = page.viewportSize()
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  if (size && height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(height, 8000) })
  await page.screenshot({ path: file, fullPage: true })
  if (size) await page.setViewportSize(size)
  await mkdir(SHOTS, { recursive: true }).catch(() => undefined)
  await copyFile(file, path.join(SHOTS, `playground-${name}.png`)).catch(() => undefined)
  console.log(`        screenshot: ${path.relative(ROOT, file)}`)
}

async function axe(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  check(
    bad.length === 0,
    `axe found ${bad.length} serious/critical violation(s) on ${label}:\n` +
      bad.map((v) => `${v.impact}: ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n'),
  )
}

const editorContent = (page: Page) => page.locator('.cm-content')
const player = (page: Page) => page.getByTestId('player').first()

/** The editor's text, line by line (CodeMirror renders one .cm-line per line). */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.cm-line').allTextContents()).join('\n')
}

async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByRole('heading', { level: 2, name: 'Playground' }).waitFor()
  await editorContent(page).waitFor()
}

/** Replaces the editor's text (select all, then insert in one go, as a paste does). */
async function setEditorText(page: Page, text: string): Promise<void> {
  await editorContent(page).click()
  await page.keyboard.press('Control+a')
  await page.keyboard.insertText(text)
}

async function waitFor(what: string, test: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await test())) {
    if (Date.now() > deadline) throw new CheckFailed(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const TYPO_LINES = ['title: A typo', 'threads: main, T1', 'main: x = lsit() as L', 'main: G.x = x', 'T1: y = G.x', 'T1: del y', 'expect L: shared=0']

async function run(context: BrowserContext, baseUrl: string): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  // Content-Security-Policy violations are reported with what was blocked, and fail the run.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP ${e.violatedDirective} blocked ${e.sample || e.blockedURI} (${e.sourceFile}:${e.lineNumber}) on ${(e.target as Element | null)?.outerHTML?.slice(0, 120) ?? '?'}`),
    )
  })
  const watch = (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(error.message))
    p.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`)
    })
  }
  watch(page)
  page.setDefaultTimeout(15_000)
  const playgroundUrl = `${baseUrl}?v=1&edit=1`

  await step('the header links to the playground; it loads its own chunk', async () => {
    const loaded: string[] = []
    page.on('request', (r) => loaded.push(r.url()))
    await page.goto(baseUrl)
    await page.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).waitFor()
    check(!loaded.some((u) => /Playground-.*\.js$/.test(u)), 'the home page loaded the playground chunk')
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Playground' }).click()
    await page.getByRole('heading', { level: 2, name: 'Playground' }).waitFor()
    await editorContent(page).waitFor()
    check(loaded.some((u) => /Playground-.*\.js$/.test(u)), 'no playground chunk was loaded')
    check(new URL(page.url()).searchParams.get('edit') === '1', `the playground's URL is ${page.url()}`)
  })

  await step('a typo is marked at its line and column as you type', async () => {
    await setEditorText(page, '')
    // Typed key by key (with completion popping up), Escape closing any popup before Enter.
    for (const line of TYPO_LINES) {
      await page.keyboard.type(line, { delay: 5 })
      await page.keyboard.press('Escape')
      await page.keyboard.press('Enter')
    }
    const problem = page.getByTestId('problems').locator('li').first()
    await problem.waitFor()
    check((await problem.getAttribute('data-line')) === '3', `the first problem is on line ${await problem.getAttribute('data-line')}`)
    check((await problem.getAttribute('data-column')) === '11', `the first problem is at column ${await problem.getAttribute('data-column')}`)
    check(/lsit/.test(await problem.innerText()), `the problem does not name the typo: ${await problem.innerText()}`)
    // The editor's own marker: the underlined word sits on line 3.
    const marker = page.locator('.cm-lintRange-error').first()
    await marker.waitFor()
    check((await marker.textContent()) === 'lsit', `the marker covers “${await marker.textContent()}”`)
    const markedLine = await marker.evaluate((el) => [...document.querySelectorAll('.cm-line')].indexOf(el.closest('.cm-line')!) + 1)
    check(markedLine === 3, `the marker is on line ${markedLine}`)
    // And the gutter's marker sits beside line 3.
    const gutterTop = await page.locator('.cm-gutter-lint .cm-lint-marker-error').first().evaluate((el) => el.getBoundingClientRect().top)
    const line3 = await page.locator('.cm-line').nth(2).evaluate((el) => el.getBoundingClientRect())
    check(gutterTop >= line3.top - 2 && gutterTop < line3.bottom, `the gutter marker is at y=${gutterTop}, line 3 spans ${line3.top}–${line3.bottom}`)
    check(/does not parse/.test(await page.getByTestId('problems-summary').innerText()), 'the summary does not say the scenario does not parse')
    await screenshot(page, 'typo-1280')
  })

  await step('fixing it (from the problem list) clears the marker; the player runs it', async () => {
    await page.getByTestId('problems').getByRole('button', { name: 'Line 3, column 11' }).click()
    check(await editorContent(page).evaluate((el) => el.contains(document.activeElement) || el === document.activeElement), 'the problem link did not focus the editor')
    await page.keyboard.press('Shift+Control+ArrowRight')
    await page.keyboard.type('list')
    await page.keyboard.press('Escape')
    await waitFor('no problems', async () => (await page.locator('.cm-lintRange-error').count()) === 0)
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor()
    check((await editorText(page)).startsWith(TYPO_LINES.join('\n').replace('lsit', 'list')), `the text is now:\n${await editorText(page)}`)
    const last = Number(await player(page).getByRole('slider', { name: 'Timeline' }).getAttribute('max'))
    check(last > 5, `the run has ${last} steps`)
    await player(page).click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await waitFor('step 2', async () => (await player(page).getAttribute('data-step')) === '2')
    await page.locator('.cm-pg-step-line').waitFor()
    const narration = await player(page).getByTestId('narration').first().innerText()
    check(narration.trim().length > 0, 'no narration at step 2')
    // Play: the step advances on its own.
    await player(page).getByRole('button', { name: /^Play/ }).click()
    await waitFor('playback', async () => Number(await player(page).getAttribute('data-step')) > 3)
    await player(page).getByRole('button', { name: /^Pause/ }).click()
  })

  await step('an edit re-runs the scenario and keeps the player near its step', async () => {
    await player(page).click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Home')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    await waitFor('step 4', async () => (await player(page).getAttribute('data-step')) === '4')
    const before = Number(await player(page).getByRole('slider', { name: 'Timeline' }).getAttribute('max'))
    await editorContent(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.insertText('main: z = object()\n')
    await waitFor('the longer run', async () => Number(await player(page).getByRole('slider', { name: 'Timeline' }).getAttribute('max')) > before)
    check((await player(page).getAttribute('data-step')) === '4', `after the edit the player is at step ${await player(page).getAttribute('data-step')}`)
    // A text that does not parse leaves the last run in the player.
    await page.keyboard.insertText('main: del nothing\n')
    await page.getByTestId('problems-summary').filter({ hasText: 'does not parse' }).waitFor()
    check((await player(page).getAttribute('data-step')) === '4', 'a parse error moved the player')
    await page.keyboard.press('Control+z')
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor()
  })

  let shared = ''
  let expectedText = ''
  await step('the share link reproduces the scenario and step in a new page', async () => {
    expectedText = await editorText(page)
    await player(page).click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Home')
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    await page.getByRole('button', { name: 'Copy share link' }).click()
    const input = page.getByTestId('share-link')
    await input.waitFor()
    shared = await input.inputValue()
    const url = new URL(shared)
    check(url.hash.startsWith('#s='), `the link's fragment is ${url.hash.slice(0, 20)}`)
    check(url.searchParams.get('edit') === '1' && url.searchParams.get('step') === '3', `the link's query is ${url.search}`)
    check(/\(\d[\d,]* characters\)/.test(await page.locator('.pg-share-status').innerText()), 'the link length is not shown')
    const other = await context.newPage()
    watch(other)
    try {
      await openPlayground(other, shared)
      await waitFor('the shared text', async () => (await editorText(other)) === expectedText)
      await waitFor('step 3', async () => (await player(other).getAttribute('data-step')) === '3')
      check((await other.getByRole('alert').count()) === 0, 'the shared link shows an error')
    } finally {
      await other.close()
    }
  })

  await step('the work survives a reload, and opening the playground without a link', async () => {
    await page.waitForTimeout(600) // the save is debounced
    await page.reload()
    await page.getByRole('heading', { level: 2, name: 'Playground' }).waitFor()
    await waitFor('the restored text', async () => (await editorText(page)) === expectedText)
    await openPlayground(page, playgroundUrl)
    await waitFor('the saved text', async () => (await editorText(page)) === expectedText)
    check(new URL(page.url()).hash === '', 'the plain playground URL gained a fragment without an edit')
  })

  await step('a damaged or cut-off link says so, and the page still works', async () => {
    const cut = shared.slice(0, shared.length - 7)
    const bent = shared.replace(/#s=(.{12})(.)/, (_, a: string, c: string) => `#s=${a}${c === 'A' ? 'B' : 'A'}`)
    for (const [name, url] of [
      ['cut', cut],
      ['changed', bent],
      ['not base64', `${playgroundUrl}#s=%%%`],
    ] as const) {
      await openPlayground(page, url)
      const alert = page.getByRole('alert').filter({ hasText: 'cannot be read' })
      await alert.waitFor()
      check(/cut off|damaged|base64url/.test(await alert.innerText()), `the ${name} link's message: ${await alert.innerText()}`)
      check((await editorText(page)) === expectedText, `after a ${name} link the editor does not show the saved work`)
    }
    await screenshot(page, 'damaged-link')
  })

  let lostUpdate = ''
  await step('the explorer finds the use-after-free of an unsafe scenario and opens it in the animation', async () => {
    lostUpdate = (await readFile(path.join(ROOT, 'stories/examples/08-lost-update.scenario'), 'utf8')).replace(/^schedule:.*\n/m, '')
    await openPlayground(page, playgroundUrl)
    await setEditorText(page, lostUpdate)
    await page.getByTestId('problems-summary').filter({ hasText: /finding|No problems/ }).waitFor()
    await page.getByRole('button', { name: 'Explore interleavings' }).click()
    const report = page.getByTestId('explore-report')
    await report.waitFor({ timeout: 60_000 })
    const summary = await page.getByTestId('explore-summary').innerText()
    check(/Exhaustive/.test(summary), `the search was not exhaustive: ${summary}`)
    check(/\d[\d,]* schedules and \d[\d,]* distinct states/.test(summary), `no counts: ${summary}`)
    const uaf = report.locator('[data-kind="use-after-free"]')
    check((await uaf.count()) === 1, `no use-after-free in: ${await report.innerText()}`)
    const at = Number(/shown at step (\d+)/.exec(await uaf.innerText())?.[1] ?? NaN)
    check(at > 0, `no step in: ${await uaf.innerText()}`)
    check((await page.evaluate(() => document.activeElement?.tagName)) === 'H3', 'focus did not move to the report')
    await screenshot(page, 'explorer-1280')
    await uaf.getByRole('button', { name: /Open in animation/ }).click()
    await waitFor(`step ${at}`, async () => (await player(page).getAttribute('data-step')) === String(at))
    check(await player(page).evaluate((el) => el === document.activeElement), 'the player did not get focus')
    check(/^schedule: main/m.test(await editorText(page)), 'the editor does not show the explicit schedule')
    check(!/has changed since this search/.test(await page.getByTestId('explore-report').innerText()), 'opening a schedule made the report stale')
    await waitFor('the run problems', async () => /use-after-free/.test(await page.getByTestId('problems').innerText().catch(() => '')))
    await page.waitForTimeout(400) // re-check after the edit debounce: the player must stay put
    check((await player(page).getAttribute('data-step')) === String(at), `the player moved to ${await player(page).getAttribute('data-step')}`)
    await axe(page, 'the playground with a report')
    await screenshot(page, 'counterexample-1280')
  })

  await step('a long search shows progress and can be cancelled; a time budget stops it; the page stays responsive', async () => {
    const big = ['threads: main, T1, T2, T3', 'main: x = list() as L', 'main: G.x = x']
    for (const t of ['T1', 'T2', 'T3']) for (let i = 0; i < 6; i++) big.push(`${t}: y${i} = G.x`, `${t}: del y${i}`)
    await setEditorText(page, big.join('\n') + '\n')
    await page.getByTestId('problems-summary').filter({ hasText: /No problems|finding/ }).waitFor()
    await page.getByLabel('Time budget (seconds)').fill('60')
    await page.getByRole('button', { name: 'Explore interleavings' }).click()
    await page.getByTestId('explore-progress').filter({ hasText: /Exploring… [\d,]+ states/ }).waitFor({ timeout: 20_000 })
    // The main thread answers while the worker searches.
    const t0 = Date.now()
    await page.evaluate(() => 1 + 1)
    check(Date.now() - t0 < 1000, 'the page did not answer while the search ran')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByTestId('explore-report').filter({ hasText: 'Cancelled' }).waitFor()
    check(await page.getByRole('button', { name: 'Explore interleavings' }).isEnabled(), 'Explore stays disabled after Cancel')
    // A one-second budget ends the same search with a report that names the limit.
    await page.getByLabel('Time budget (seconds)').fill('1')
    const started = Date.now()
    await page.getByRole('button', { name: 'Explore interleavings' }).click()
    await page.getByTestId('explore-summary').filter({ hasText: 'Not exhaustive: the search stopped at the time budget' }).waitFor({ timeout: 10_000 })
    check(Date.now() - started < 8_000, `a 1-second budget took ${Date.now() - started} ms`)
    await page.getByLabel('Time budget (seconds)').fill('10')
  })

  await step('keyboard: Tab leaves the editor; Ctrl+Space completes thread variables', async () => {
    await setEditorText(page, 'threads: main, T1\nmain: first = list()\nmain: del fi')
    await page.keyboard.press('Control+Space')
    const option = page.locator('.cm-tooltip-autocomplete li').filter({ hasText: 'first' })
    await option.waitFor()
    await page.waitForTimeout(150) // CodeMirror ignores Enter for 75 ms after the list opens (no accidental picks)
    await page.keyboard.press('Enter')
    await waitFor('the completed name', async () => (await editorText(page)).endsWith('main: del first')).catch(async (e: Error) => {
      throw new CheckFailed(`${e.message}; the text is:\n${await editorText(page)}`)
    })
    await page.keyboard.press('Tab')
    check(!(await editorContent(page).evaluate((el) => el.contains(document.activeElement))), 'Tab stayed in the editor')
  })

  await step('layout at 1280×800 and 390×844, light, dark and high contrast', async () => {
    await setEditorText(page, lostUpdate)
    for (const [name, width, height] of [
      ['1280', 1280, 800],
      ['390', 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height })
      await page.waitForTimeout(300)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      check(overflow <= 1, `at ${width} px the page scrolls sideways by ${overflow} px`)
      await page.screenshot({ path: path.join(RESULTS, `playground-viewport-${name}.png`) })
      await copyFile(path.join(RESULTS, `playground-viewport-${name}.png`), path.join(SHOTS, `playground-viewport-${name}.png`)).catch(() => undefined)
      await screenshot(page, `full-${name}`)
      if (name === '390') await axe(page, 'the playground on a phone')
    }
    await page.setViewportSize({ width: 1280, height: 800 })
    for (const theme of ['dark', 'contrast'] as const) {
      await player(page).getByLabel('Theme').selectOption(theme)
      check((await page.locator('.app').getAttribute('data-theme')) === theme, `the page did not follow the ${theme} theme`)
      await screenshot(page, `theme-${theme}`)
      await axe(page, `the playground, ${theme} theme`)
    }
    await player(page).getByLabel('Theme').selectOption('system')
  })

  await step('no uncaught errors in the pages', async () => {
    check(pageErrors.length === 0, pageErrors.join('\n'))
  })
}

async function main(): Promise<number> {
  return runInChromium('e2e playground', { context: { viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-US' } }, async () => {
    const { server, url } = await serveDist()
    return { describe: url, checks: (context) => run(context, url), cleanup: () => server.close() }
  })
}

const timer = setTimeout(() => {
  console.error(`e2e playground: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
timer.unref()

process.exitCode = await main()
