// End-to-end check of the built app (dist/) in Debian's Chromium, driven by playwright-core.
//
//   npm run test:e2e            (builds first)
//   CHROMIUM=/path/to/chrome tsx test/e2e/run.ts
//
// Serves dist/ under a sub-path (the build must work from any sub-path), loads the app, walks
// every built-in scenario, plays, pauses, steps back, scrubs, changes mode, opens step links,
// the side-by-side view, uses only the keyboard, opens the help overlay, checks the messages for
// bad URLs, switches themes and viewport sizes, runs axe-core, and saves screenshots to
// test-results/ (git-ignored; CI keeps them as artefacts). Exits non-zero on any failure.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { BrowserContext, Page } from 'playwright-core'
import { check, CheckFailed, OVERALL_TIMEOUT_MS, RESULTS, ROOT, runInChromium, sendDistFile, step } from './harness.ts'

const SUB_PATH = '/some/sub-path/'

/** A static server for dist/ mounted at SUB_PATH, on a free loopback port. */
async function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      await sendDistFile(res, pathname, SUB_PATH)
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}${SUB_PATH}` }
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(RESULTS, `e2e-${name}.png`)
  // Grow the viewport to the whole page first, so sticky parts sit where a reader would see them.
  const size = page.viewportSize()
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  if (size && height > size.height) await page.setViewportSize({ width: size.width, height: Math.min(height, 8000) })
  await page.screenshot({ path: file, fullPage: true })
  if (size) await page.setViewportSize(size)
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
              .map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\s+/g, ' '))
              .join('\n  ')}`,
        )
        .join('\n'),
  )
}

const player = (page: Page) => page.getByTestId('player').first()

async function stepOf(page: Page): Promise<number> {
  return Number(await player(page).getAttribute('data-step'))
}

async function waitForStep(page: Page, expected: number | ((step: number) => boolean), what = ''): Promise<number> {
  const ok = typeof expected === 'number' ? (n: number) => n === expected : expected
  const deadline = Date.now() + 10_000
  let step = await stepOf(page)
  while (!ok(step)) {
    if (Date.now() > deadline) throw new CheckFailed(`data-step is ${step}${what ? `; expected ${what}` : typeof expected === 'number' ? `; expected ${expected}` : ''}`)
    await page.waitForTimeout(50)
    step = await stepOf(page)
  }
  return step
}

async function lastStep(page: Page): Promise<number> {
  return Number(await player(page).getByRole('slider', { name: 'Timeline' }).getAttribute('max'))
}

async function openUrl(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).waitFor()
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
  /** Scenarios that loaded into the player; later checks use them. */
  const good: string[] = []
  const story = (id: string, extra = '') => `${baseUrl}?v=1&story=${encodeURIComponent(id)}${extra}`

  await step('the app loads from a sub-path: the course, and the built-in scenarios beside it', async () => {
    const response = await page.goto(baseUrl)
    check(response?.ok(), `GET ${baseUrl} answered ${response?.status()}`)
    await page.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).waitFor()
    const links = page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link')
    const hrefs = await links.evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''))
    ids = hrefs.map((href) => new URLSearchParams(href.replace(/^[^?]*/, '')).get('story') ?? '')
    check(
      ids.length > 0,
      'the scenario list is empty: add *.scenario files to stories/examples/ (they are bundled at build time)',
    )
    check(
      hrefs.every((h) => new URLSearchParams(h.replace(/^[^?]*/, '')).get('v') === '1'),
      `scenario links do not carry v=1: ${hrefs.join(', ')}`,
    )
    console.log(`        ${ids.length} scenarios: ${ids.join(', ')}`)
    await page.getByRole('heading', { level: 2, name: 'The course' }).waitFor()
    check((await page.getByTestId('player').count()) === 0, 'the home page shows a player, not the course')
    await screenshot(page, 'home')
    await axe(page, 'the start page')
  })

  const course = () => page.getByRole('list', { name: 'Stories' })
  let storyIds: string[] = []

  await step('the course lists the stories in order, with time, tags and progress', async () => {
    await openUrl(page, baseUrl)
    const items = course().getByRole('listitem')
    const count = await items.count()
    check(count >= 17, `the course lists ${count} stories, expected at least 17`)
    const titles = await course().getByRole('heading', { level: 3 }).allInnerTexts()
    const orders = titles.map((t) => Number(/Story (\d+):/.exec(t)?.[1] ?? NaN))
    check(orders.every((o, i) => i === 0 || o > orders[i - 1]!), `stories are not in order: ${orders.join(', ')}`)
    const hrefs = await course().getByRole('link').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''))
    storyIds = hrefs.map((h) => new URLSearchParams(h.replace(/^[^?]*/, '')).get('story') ?? '')
    check(storyIds.every(Boolean) && new Set(storyIds).size === count, `story links: ${hrefs.join(', ')}`)
    const first = await items.first().innerText()
    check(/\d+ min/.test(first) && first.includes('Not started'), `the first story shows no time or progress: ${first}`)
    check((await page.getByRole('alert').count()) === 0, 'the course reports a broken story')
  })

  await step('the course search filters by title, tag and CPython function', async () => {
    await openUrl(page, baseUrl)
    const search = page.getByRole('searchbox', { name: 'Search the stories' })
    const total = await course().getByRole('listitem').count()
    await search.fill('critical section')
    const some = await course().getByRole('listitem').count()
    check(some > 0 && some < total, `"critical section" leaves ${some} of ${total} stories`)
    await page.getByText(`${some} of ${total} stories match.`).waitFor()
    await search.fill('_Py_brc_merge_refcounts')
    const merge = await course().getByRole('listitem').allInnerTexts()
    check(merge.length > 0 && merge.length < total, `a CPython function leaves ${merge.length} stories`)
    await screenshot(page, 'course-search')
    await search.fill('no such thing at all')
    await page.getByText(/No story matches/).waitFor()
    await search.fill('')
    check((await course().getByRole('listitem').count()) === total, 'clearing the search does not list every story again')
  })

  await step('a story: prose beside the player, play to a prediction, reveal, next story', async () => {
    await openUrl(page, baseUrl)
    // The first story with a prediction early on: every story has one; take the course's first.
    const first = course().getByRole('link').first()
    const firstTitle = (await first.innerText()).replace(/^Story \d+:\s*/, '').trim()
    await first.click()
    await page.waitForURL((url) => url.searchParams.get('story') === storyIds[0])
    await page.getByRole('heading', { level: 2, name: firstTitle }).waitFor()
    const prose = page.getByRole('region', { name: 'The story' })
    check((await prose.innerText()).length > 200, 'the story shows little or no prose')
    check((await prose.locator('script, img, iframe').count()) === 0, 'the prose contains markup it should not')
    await player(page).waitFor()
    await screenshot(page, 'story')
    await axe(page, 'a story')
    await player(page).getByLabel('Speed').selectOption('16')
    await player(page).getByRole('button', { name: 'Play' }).click()
    const reveal = page.getByRole('button', { name: 'Reveal' })
    await reveal.waitFor({ timeout: 15_000 })
    await player(page).getByRole('button', { name: 'Play' }).waitFor()
    const at = await stepOf(page)
    await page.waitForTimeout(400)
    check((await stepOf(page)) === at, 'playback did not stop at the prediction')
    check(at < (await lastStep(page)), 'the prediction came at the end of the run')
    check((await page.getByTestId('predict-status').innerText()).startsWith('Predict:'), 'the question is not announced')
    await screenshot(page, 'story-predict')
    await axe(page, 'a prediction')
    await reveal.focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('predict-answer').waitFor()
    check((await page.getByTestId('predict-status').innerText()).startsWith('Answer:'), 'the answer is not announced')
    await screenshot(page, 'story-reveal')
    // Progress: the story is in progress on the course page.
    const next = page.getByRole('navigation', { name: 'Previous and next story' }).getByRole('link', { name: /Next story/ })
    await next.click()
    await page.waitForURL((url) => url.searchParams.get('story') === storyIds[1])
    await player(page).waitFor()
    await page.getByRole('link', { name: /Previous story/ }).waitFor()
    await openUrl(page, baseUrl)
    const firstItem = course().getByRole('listitem').first()
    check((await firstItem.innerText()).includes('In progress'), `the first story is not in progress: ${await firstItem.innerText()}`)
  })

  await step('a story’s plain view and playground open the same scenario', async () => {
    await openUrl(page, story(storyIds[2] ?? '', '&step=3'))
    await waitForStep(page, 3)
    const narration = await player(page).getByTestId('narration').first().innerText()
    await page.getByRole('link', { name: 'Plain view' }).click()
    await page.waitForURL((url) => url.searchParams.get('plain') === '1')
    await player(page).waitFor()
    check((await page.getByRole('region', { name: 'The story' }).count()) === 0, 'the plain view shows the prose')
    await page.getByRole('link', { name: 'Back to the story' }).click()
    await page.getByRole('region', { name: 'The story' }).waitFor()
    await page.getByRole('link', { name: 'Open in playground' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#scenario='))
    await player(page).waitFor()
    check((await page.getByRole('alert').count()) === 0, `the playground shows an error: ${await page.getByRole('alert').allInnerTexts()}`)
    check(narration.length > 0, 'no narration in the story view')
  })

  await step('a story at phone size', async () => {
    await page.setViewportSize({ width: 360, height: 740 })
    try {
      await openUrl(page, story(storyIds[4] ?? '', '&step=6'))
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      check(overflow <= 1, `at 360 px the story page scrolls sideways by ${overflow} px`)
      await screenshot(page, 'story-phone')
      await axe(page, 'a story on a phone')
      await openUrl(page, baseUrl)
      await screenshot(page, 'home-phone')
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  })

  if (ids.length === 0) {
    console.error('  STOP  the other checks need at least one built-in scenario')
    return
  }

  await step('every built-in scenario loads into the player at step 0', async () => {
    await openUrl(page, baseUrl)
    const problems: string[] = []
    for (const [i, id] of ids.entries()) {
      const link = page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link').nth(i)
      await link.click()
      await page.waitForURL((url) => url.searchParams.get('story') === id)
      check((await link.getAttribute('aria-current')) === 'page', `the link of ${id} is not marked current after clicking it`)
      const alert = page.getByRole('alert')
      if ((await alert.count()) > 0) {
        problems.push(`${id}: ${(await alert.first().innerText()).replace(/\s+/g, ' ')}`)
        continue
      }
      if ((await stepOf(page)) !== 0) problems.push(`${id}: data-step is ${await stepOf(page)}, not 0`)
      if ((await lastStep(page)) === 0) problems.push(`${id}: the timeline is empty`)
      else good.push(id)
    }
    check(problems.length === 0, problems.join('\n'))
  })

  // A story with queueing, a merge and a free (the queued-then-merged example when it exists).
  const rich = good.find((id) => id.includes('queued')) ?? good[0] ?? ids[0] ?? ''

  await step('play advances the step, pause stops it', async () => {
    await openUrl(page, story(rich))
    await player(page).getByRole('button', { name: 'Play' }).click()
    await waitForStep(page, (n) => n >= 2, 'at least 2 after playing')
    await player(page).getByRole('button', { name: 'Pause' }).click()
    const paused = await stepOf(page)
    await page.waitForTimeout(800)
    check((await stepOf(page)) === paused, `the step moved from ${paused} to ${await stepOf(page)} after pausing`)
    await page.waitForURL((url) => url.searchParams.get('step') === String(paused))
    check(
      (await player(page).getByTestId('step-status').innerText()).includes(`Step ${paused} of`),
      'the visible step counter does not match data-step',
    )
  })

  await step('step back is exact: the same narration as when stepping forward', async () => {
    await openUrl(page, story(rich, '&step=5'))
    await waitForStep(page, 5)
    const narration = async () => (await player(page).getByTestId('narration').first().innerText()).replace(/\s+/g, ' ')
    const at5 = await narration()
    await player(page).getByRole('button', { name: 'Step forward' }).click()
    await waitForStep(page, 6)
    check((await narration()) !== at5, 'the narration did not change after a step')
    await player(page).getByRole('button', { name: 'Step back' }).click()
    await waitForStep(page, 5)
    check((await narration()) === at5, `after stepping back the narration differs:\n${await narration()}\nvs\n${at5}`)
    await page.waitForURL((url) => url.searchParams.get('step') === '5')
  })

  await step('the scrubber and the timeline markers move the player', async () => {
    await openUrl(page, story(rich))
    const last = await lastStep(page)
    const target = Math.max(1, Math.floor(last / 2))
    await player(page).getByRole('slider', { name: 'Timeline' }).fill(String(target))
    await waitForStep(page, target)
    const markers = player(page).getByRole('group', { name: 'Notable steps' }).getByRole('button')
    const count = await markers.count()
    check(count > 0, `no timeline markers for ${rich}`)
    const labels = await markers.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''))
    console.log(`        markers: ${labels.join('; ')}`)
    const marker = markers.last()
    const at = Number(/steps? (\d+)/.exec((await marker.getAttribute('aria-label')) ?? '')?.[1])
    await marker.click()
    await waitForStep(page, at)
    await screenshot(page, 'scrubbed')
  })

  await step('a URL with a step opens that step', async () => {
    await openUrl(page, story(rich, '&step=12'))
    await waitForStep(page, 12)
    check(
      (await player(page).getByTestId('step-status').innerText()).startsWith('Step 12 of'),
      `the counter says ${await player(page).getByTestId('step-status').innerText()}`,
    )
    await page.reload()
    await waitForStep(page, 12)
  })

  await step('switching mode updates the URL and the trace; Back restores it', async () => {
    await openUrl(page, story(rich, '&step=3'))
    await player(page).locator('label', { hasText: /^gil$/ }).click()
    await page.waitForURL((url) => url.searchParams.get('mode') === 'gil')
    check(await player(page).getByRole('radio', { name: 'gil' }).isChecked(), 'the gil radio is not checked')
    check((await player(page).locator('[data-mode="gil"]').count()) === 1, 'the scene does not show gil mode')
    check((await stepOf(page)) === 3, `the step changed to ${await stepOf(page)} when switching mode`)
    await screenshot(page, 'mode-gil')
    await page.goBack()
    await page.waitForURL((url) => url.searchParams.get('mode') === null)
    check(await player(page).getByRole('radio', { name: 'free-threaded' }).isChecked(), 'Back did not restore the mode')
  })

  await step('side by side: two modes in lockstep, clamped per trace', async () => {
    await openUrl(page, story(rich, '&compare=gil&step=4'))
    const scenes = player(page).locator('section.pep-column')
    check((await scenes.count()) === 2, `expected two scene columns, found ${await scenes.count()}`)
    check((await player(page).locator('figure').count()) >= 2, 'expected two scenes')
    await player(page).getByRole('button', { name: 'Step forward' }).click()
    await waitForStep(page, 5)
    for (const name of ['free-threaded mode', 'gil mode']) {
      const text = await player(page).getByRole('region', { name }).locator('.pep-column-heading').innerText()
      check(/step 5 of \d+/.test(text), `${name} column says “${text}”, not step 5`)
    }
    await player(page).getByRole('button', { name: 'Go to end' }).click()
    const last = await lastStep(page)
    await waitForStep(page, last)
    const headings = await player(page).locator('.pep-column-heading').allInnerTexts()
    check(headings.some((h) => h.includes(`step ${last} of ${last}`)), `no column is at its end: ${headings.join(' | ')}`)
    await screenshot(page, 'side-by-side')
    await axe(page, 'the side-by-side view')
  })

  await step('keyboard only: Tab to the player, step, play, pause, jump, help overlay', async () => {
    await openUrl(page, story(rich))
    let reached = false
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab')
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'player')
    }
    check(reached, 'Tab never reached the player region')
    const scrollBefore = await page.evaluate(() => window.scrollY)
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('PageDown')
    await waitForStep(page, 3)
    check((await page.evaluate(() => window.scrollY)) === scrollBefore, 'PageDown in the player scrolled the page')
    await page.keyboard.press('ArrowLeft')
    await waitForStep(page, 2)
    await page.keyboard.press('Space')
    await player(page).getByRole('button', { name: 'Pause' }).waitFor()
    await page.keyboard.press('k')
    await player(page).getByRole('button', { name: 'Play' }).waitFor()
    await page.keyboard.press('End')
    await waitForStep(page, await lastStep(page))
    await page.keyboard.press('Home')
    await waitForStep(page, 0)
    await page.keyboard.press(']')
    await waitForStep(page, (n) => n > 0, 'a marker position')
    await page.keyboard.press('?')
    const dialog = player(page).getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor()
    check(
      await page.evaluate(() => document.activeElement?.textContent === 'Close'),
      'focus is not on the Close button of the help overlay',
    )
    await screenshot(page, 'help')
    await axe(page, 'the help overlay')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    check(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'player'),
      'focus did not return to the player after closing the help overlay',
    )
    // Outside the player the keys are the page's.
    const before = await stepOf(page)
    await page.getByRole('heading', { level: 1 }).click()
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(200)
    check((await stepOf(page)) === before, 'ArrowRight outside the player moved it')
  })

  await step('bad URLs: unknown story, step past the end, bad mode and speed, unknown version, damaged fragment', async () => {
    await openUrl(page, `${baseUrl}?v=1&story=no-such-scenario`)
    const unknown = page.getByRole('alert').filter({ hasText: 'No built-in scenario is named' })
    await unknown.waitFor()
    check((await unknown.innerText()).includes('“no-such-scenario”'), 'the message does not name the story')
    check((await unknown.getByRole('link', { name: 'Open the first scenario' }).count()) === 1, 'no way back from an unknown story')
    await screenshot(page, 'bad-story')
    await axe(page, 'an unknown story')
    await unknown.getByRole('link', { name: 'Open the first scenario' }).click()
    await player(page).waitFor()

    await openUrl(page, story(rich, '&step=99999'))
    const last = await lastStep(page)
    await waitForStep(page, last)
    await page.locator('[data-notice="clamped"]').filter({ hasText: `showing step ${last}` }).waitFor()

    await openUrl(page, story(rich, '&mode=quantum&speed=warp&step=x'))
    for (const text of ['Unknown mode “quantum”', 'Speed “warp” is not usable', '“x” is not a step number']) {
      await page.getByRole('alert').filter({ hasText: text }).waitFor()
    }
    await waitForStep(page, 0)
    await screenshot(page, 'bad-params')

    await openUrl(page, `${baseUrl}?v=99&story=${encodeURIComponent(rich)}&step=3`)
    const version = page.getByRole('alert').filter({ hasText: 'This link cannot be replayed' })
    await version.waitFor()
    check((await version.innerText()).includes('v=99'), 'the version message does not name the version')
    check((await page.getByTestId('player').count()) === 0, 'a link of an unknown version was replayed anyway')
    await screenshot(page, 'bad-version')

    await openUrl(page, `${baseUrl}?v=1#scenario=%%%not-base64`)
    await page.getByRole('alert').filter({ hasText: 'The edited scenario in this link cannot be read' }).waitFor()
  })

  await step('an edited scenario travels in the fragment; a parse error is shown with its line', async () => {
    const text = 'title: typo\nthreads: main\nmain: x = lsit()\n'
    const encoded = Buffer.from(text, 'utf8').toString('base64url')
    await openUrl(page, `${baseUrl}?v=1#scenario=${encoded}`)
    const alert = page.getByRole('alert').filter({ hasText: 'does not parse' })
    await alert.waitFor()
    check(/edited\.scenario:3:\d+/.test(await alert.innerText()), `no line:column in ${await alert.innerText()}`)
    await screenshot(page, 'parse-error')
  })

  await step('themes: light, dark (also from prefers-color-scheme), high contrast; reduced motion', async () => {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await openUrl(page, story(rich, '&step=8'))
    check((await player(page).getAttribute('data-theme')) === 'dark', 'prefers-color-scheme: dark is not followed')
    check((await player(page).getAttribute('data-reduced-motion')) === 'true', 'prefers-reduced-motion is not followed')
    await screenshot(page, 'theme-dark')
    await axe(page, 'the dark theme')
    await player(page).getByLabel('Theme').selectOption('contrast')
    check((await player(page).getAttribute('data-theme')) === 'contrast', 'the high-contrast theme was not applied')
    await screenshot(page, 'theme-contrast')
    await axe(page, 'the high-contrast theme')
    await player(page).getByLabel('Theme').selectOption('light')
    await player(page).getByLabel('Motion').selectOption('full')
    check((await player(page).getAttribute('data-reduced-motion')) === 'false', 'the motion choice was not applied')
    await page.reload()
    check((await player(page).getAttribute('data-theme')) === 'light', 'the theme choice is not remembered')
    await axe(page, 'the light theme')
    await player(page).getByLabel('Theme').selectOption('system')
    await player(page).getByLabel('Motion').selectOption('system')
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' })
  })

  await step('readable from a 360-px phone to a 4K projector', async () => {
    for (const [name, width, height] of [
      ['phone', 360, 740],
      ['tablet', 768, 1024],
      ['4k', 3840, 2160],
    ] as const) {
      await page.setViewportSize({ width, height })
      await openUrl(page, story(rich, '&step=10'))
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      check(overflow <= 1, `at ${width} px the page scrolls sideways by ${overflow} px`)
      const fontSize = await player(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
      check(fontSize >= 14, `at ${width} px the player's text is ${fontSize} px`)
      await screenshot(page, `size-${name}`)
      if (name === 'phone') await axe(page, 'a 360-px phone')
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  await step('no uncaught errors in the page', async () => {
    check(pageErrors.length === 0, pageErrors.join('\n'))
  })
}

async function main(): Promise<number> {
  return runInChromium('e2e', { context: { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' } }, async () => {
    const { server, url } = await serveDist()
    return { describe: url, checks: (context) => run(context, url), cleanup: () => server.close() }
  })
}

const timer = setTimeout(() => {
  console.error(`e2e: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
timer.unref()

process.exitCode = await main()
