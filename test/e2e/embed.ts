// End-to-end checks of the embeds, presenter mode and the single-file build, in Debian's Chromium
// (run by `npm run test:e2e` after test/e2e/run.ts, on the same build):
//
// - the built component module imports in Node without touching window (server rendering);
// - public/examples/embed-component.html: two players (and two more) on one page with a hostile
//   stylesheet; they render and step independently, no CSS leaks in or out, bad attributes are
//   explained, attributes can change, the host's light/dark setting is followed, and removing and
//   re-adding an element (client-side navigation) unmounts and re-initialises it;
// - public/examples/embed-iframe.html and a host page on another origin: postMessage commands from
//   an allowed origin drive the player, other origins and malformed messages are ignored (and
//   counted), step and height events arrive;
// - presenter mode with a speaker-notes window kept in sync both ways (two pages, one context);
//   export as SVG and PNG;
// - dist/pep703-explorer.html opened from file:// with every network request aborted.
//
//   npm run build && npm run build:single && tsx test/e2e/embed.ts

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import { check, CheckFailed, DIST, MIME, OVERALL_TIMEOUT_MS, RESULTS, ROOT, runInChromium, sendDistFile, step } from './harness.ts'

const SUB_PATH = '/docs/explorer/'

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!ok(value)) {
    if (Date.now() > deadline) throw new CheckFailed(`${what} (last value: ${JSON.stringify(value)})`)
    await new Promise((r) => setTimeout(r, 50))
    value = await read()
  }
  return value
}

/**
 * A static server for dist/ under SUB_PATH; `/__host.html?src=…` answers a host page that frames
 * `src` (tests only: it lets a page of one origin frame embed.html from another).
 */
async function serveDist(): Promise<{ server: Server; origin: string; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const pathname = decodeURIComponent(url.pathname)
      if (pathname === '/__blank.html') {
        res.writeHead(200, { 'content-type': MIME['.html']! }).end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs page</title></head><body></body></html>')
        return
      }
      if (pathname === '/__host.html') {
        const src = url.searchParams.get('src') ?? ''
        if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(src)) {
          res.writeHead(400).end('bad src')
          return
        }
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head><body>
<iframe id="frame" title="PEP 703 Explorer" allow="fullscreen" style="border:0;width:100%;height:400px" src="${src.replace(/"/g, '&quot;')}"></iframe>
<script>window.events = []; addEventListener('message', (e) => { if (e.source === document.getElementById('frame').contentWindow) window.events.push(e.data) })</script>
</body></html>`
        res.writeHead(200, { 'content-type': MIME['.html']! }).end(html)
        return
      }
      // Like GitHub Pages and most static hosts: docs on another origin may load the module.
      await sendDistFile(res, pathname, SUB_PATH, { 'access-control-allow-origin': '*' })
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return { server, origin, url: `${origin}${SUB_PATH}` }
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(RESULTS, `e2e-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  console.log(`        screenshot: ${path.relative(ROOT, file)}`)
}

/** The player inside the element `#id` (Playwright's CSS selectors pierce open shadow roots). */
const embedded = (page: Page, id: string) => page.locator(`pep703-explorer#${id} [data-testid="player"]`)

async function stepOfEmbedded(page: Page, id: string): Promise<number> {
  return Number(await embedded(page, id).getAttribute('data-step'))
}

async function framePlayerStep(frame: Frame): Promise<number> {
  return Number(await frame.locator('[data-testid="player"]').getAttribute('data-step'))
}

async function componentChecks(context: BrowserContext, baseUrl: string, errors: string[]): Promise<void> {
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => errors.push(`component page: ${e.message}`))
  const url = `${baseUrl}examples/embed-component.html`

  await step('component page: four elements render (two stories, an inline scenario, bad attributes explained)', async () => {
    const response = await page.goto(url)
    check(response?.ok(), `GET ${url} answered ${response?.status()}`)
    await embedded(page, 'first').waitFor()
    await embedded(page, 'second').waitFor()
    await embedded(page, 'inline').waitFor()
    check((await stepOfEmbedded(page, 'first')) === 5, `#first starts at ${await stepOfEmbedded(page, 'first')}, not step 5`)
    check((await stepOfEmbedded(page, 'second')) === 0, '#second does not start at 0')
    check((await stepOfEmbedded(page, 'inline')) === 2, '#inline does not start at step 2')
    const bad = page.locator('pep703-explorer#bad [data-testid="embed-problems"]')
    await bad.waitFor()
    const text = await bad.innerText()
    for (const part of ['No built-in scenario is named “no-such-story”', 'step=“lots”', 'Unknown mode “turbo”', 'controls=“some”']) {
      check(text.includes(part), `the bad element does not say ${part}: ${text}`)
    }
    check((await page.locator('pep703-explorer#bad [data-testid="player"]').count()) === 0, 'a player rendered for an unknown story')
    check((await page.locator('pep703-explorer#second .pep-settings').count()) === 0, 'controls="minimal" still shows the settings bar')
    check((await page.locator('pep703-explorer#second [data-testid="code-panel"]').count()) === 1, 'panels="code" has no code panel')
    check((await page.locator('pep703-explorer#second .pep-counters-area').count()) === 0, 'panels="code" still shows the counters')
    check((await embedded(page, 'second').getAttribute('data-theme')) === 'dark', 'theme="dark" is not applied')
    await screenshot(page, 'embed-component')
  })

  await step('component page: the players step independently (buttons and keys)', async () => {
    const forward = embedded(page, 'first').getByRole('button', { name: 'Step forward' })
    await forward.click()
    await forward.click()
    await until(() => stepOfEmbedded(page, 'first'), (n) => n === 7, '#first did not reach step 7')
    check((await stepOfEmbedded(page, 'second')) === 0, 'stepping #first moved #second')
    await embedded(page, 'second').focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await until(() => stepOfEmbedded(page, 'second'), (n) => n === 3, '#second did not follow its keys')
    check((await stepOfEmbedded(page, 'first')) === 7, 'keys in #second moved #first')
    await page.locator('h1').click()
    const scroll = await page.evaluate(() => window.scrollY)
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(200)
    check((await stepOfEmbedded(page, 'second')) === 3 && (await stepOfEmbedded(page, 'first')) === 7, 'a key outside the players moved one')
    check((await page.evaluate(() => window.scrollY)) === scroll, 'the page scrolled')
  })

  await step('component page: the hostile stylesheet does not reach inside, the players’ CSS does not leak out', async () => {
    const inside = await embedded(page, 'first').evaluate((player) => {
      const button = player.querySelector('button')!
      const div = player.querySelector('div')!
      const text = player.querySelector('svg text')
      const b = getComputedStyle(button)
      const d = getComputedStyle(div)
      return {
        buttonDisplay: b.display,
        buttonFont: b.fontFamily,
        buttonFontSize: b.fontSize,
        divBorder: d.borderTopStyle,
        divTransform: getComputedStyle(player.querySelector('figure')!).transform,
        textTransform: getComputedStyle(player).textTransform,
        letterSpacing: getComputedStyle(player).letterSpacing,
        svgTextFill: text ? getComputedStyle(text).fill : '',
        playerFontSize: parseFloat(getComputedStyle(player).fontSize),
      }
    })
    check(inside.buttonDisplay !== 'none', 'the host’s button { display: none } hid the player’s buttons')
    check(!/comic|cursive/i.test(inside.buttonFont), `the host’s font reached a button: ${inside.buttonFont}`)
    check(inside.buttonFontSize !== '40px', 'the host’s button font size reached inside')
    check(inside.divBorder !== 'dashed', 'the host’s div border reached inside')
    check(inside.divTransform === 'none', `the host’s figure transform reached inside: ${inside.divTransform}`)
    check(inside.textTransform === 'none', `text-transform leaked in: ${inside.textTransform}`)
    check(inside.letterSpacing === 'normal', `letter-spacing leaked in: ${inside.letterSpacing}`)
    check(!/255, 165, 0/.test(inside.svgTextFill), `the host’s svg text fill reached inside: ${inside.svgTextFill}`)
    check(inside.playerFontSize >= 14 && inside.playerFontSize <= 24, `the player’s type is ${inside.playerFontSize}px (host html is 62.5 %)`)
    const outside = await page.evaluate(() => {
      const decoy = getComputedStyle(document.getElementById('decoy-player')!)
      const button = getComputedStyle(document.getElementById('decoy-button')!)
      return {
        decoyRadius: decoy.borderTopLeftRadius,
        decoyContainer: decoy.containerType,
        buttonBg: button.backgroundColor,
        headStyles: document.head.querySelectorAll('style, link[rel="stylesheet"]').length,
        adopted: document.adoptedStyleSheets.length,
      }
    })
    check(outside.decoyRadius === '0px', `the players’ .pep-player rule styled a host div (radius ${outside.decoyRadius})`)
    check(outside.decoyContainer === 'normal', 'the players’ .pep-player rule styled a host div (container-type)')
    check(outside.buttonBg === 'rgb(0, 255, 0)', `a host button named pep-button lost its own style: ${outside.buttonBg}`)
    check(outside.headStyles === 1 && outside.adopted === 0, `the component added styles to the host document (${outside.headStyles} in head, ${outside.adopted} adopted)`)
  })

  await step('component page: attributes can change; the element API and its step event work', async () => {
    await page.evaluate(() => {
      const el = document.getElementById('first')!
      ;(window as unknown as { stepEvents: number[] }).stepEvents = []
      el.addEventListener('pep703-step', (e) => (window as unknown as { stepEvents: number[] }).stepEvents.push((e as CustomEvent<{ step: number }>).detail.step))
      el.setAttribute('step', '12')
    })
    await until(() => stepOfEmbedded(page, 'first'), (n) => n === 12, 'setting step="12" did not move #first')
    await page.evaluate(() => (document.getElementById('first') as unknown as { stepBy(n: number): void }).stepBy(-2))
    await until(() => stepOfEmbedded(page, 'first'), (n) => n === 10, 'stepBy(-2) did not move #first to 10')
    const events = await page.evaluate(() => (window as unknown as { stepEvents: number[] }).stepEvents)
    check(events.join(',') === '12,10', `pep703-step events: ${events.join(',')}`)
    await page.evaluate(() => document.getElementById('second')!.setAttribute('mode', 'gil'))
    await page.locator('pep703-explorer#second [data-mode="gil"]').waitFor()
  })

  await step('component page: theme="auto" follows the host’s light/dark markers (Material, data-theme, .dark)', async () => {
    const theme = () => embedded(page, 'inline').getAttribute('data-theme')
    check((await theme()) === 'light', `theme=auto on a light page is ${await theme()}`)
    await page.evaluate(() => document.body.setAttribute('data-md-color-scheme', 'slate'))
    await until(theme, (t) => t === 'dark', 'data-md-color-scheme="slate" on <body> did not make it dark')
    await page.evaluate(() => document.body.setAttribute('data-md-color-scheme', 'default'))
    await until(theme, (t) => t === 'light', 'data-md-color-scheme="default" did not make it light')
    await page.evaluate(() => {
      document.body.removeAttribute('data-md-color-scheme')
      document.documentElement.setAttribute('data-theme', 'dark')
    })
    await until(theme, (t) => t === 'dark', 'data-theme="dark" on <html> did not make it dark')
    await page.evaluate(() => {
      document.documentElement.removeAttribute('data-theme')
      document.documentElement.classList.add('dark')
    })
    await until(theme, (t) => t === 'dark', 'class="dark" on <html> did not keep it dark')
    await page.evaluate(() => document.documentElement.classList.remove('dark'))
    await until(theme, (t) => t === 'light', 'removing the markers did not return to the system (light) theme')
    check((await embedded(page, 'first').getAttribute('data-theme')) === 'light', 'theme="light" followed the host')
  })

  await step('component page: removed elements unmount; new ones initialise (client-side navigation)', async () => {
    const result = await page.evaluate(async () => {
      const old = document.getElementById('second')!
      const shadow = old.shadowRoot!
      old.remove()
      await new Promise((r) => setTimeout(r, 50))
      const leftover = shadow.querySelectorAll('[data-testid="player"]').length
      const fresh = document.createElement('pep703-explorer')
      fresh.id = 'second'
      fresh.setAttribute('story', '02-reference-crosses-threads')
      fresh.setAttribute('step', '4')
      fresh.setAttribute('controls', 'none')
      document.body.append(fresh)
      return { leftover }
    })
    check(result.leftover === 0, 'the removed element kept its player mounted')
    await until(() => stepOfEmbedded(page, 'second'), (n) => n === 4, 'the new element did not render at step 4')
    check((await page.locator('pep703-explorer#second .pep-controls').count()) === 0, 'controls="none" still shows the transport')
    // Moving an element (disconnect and connect in one task) keeps its state.
    await page.evaluate(() => {
      const el = document.getElementById('first')!
      document.body.append(el)
    })
    await page.waitForTimeout(100)
    check((await stepOfEmbedded(page, 'first')) === 10, 'moving #first in the page reset it')
  })
  await step('component page: story= also names a Markdown story (stories/*.md, loaded on demand)', async () => {
    await page.evaluate(() => {
      const el = document.createElement('pep703-explorer')
      el.id = 'md'
      el.setAttribute('story', 'why-the-gil')
      el.setAttribute('controls', 'minimal')
      document.body.append(el)
    })
    await embedded(page, 'md').waitFor()
    check((await page.locator('pep703-explorer#md [data-testid="embed-problems"]').count()) === 0, 'the Markdown story was not found')
  })
  await page.close()
}

async function iframeChecks(context: BrowserContext, baseUrl: string, otherOrigin: string, errors: string[]): Promise<void> {
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => errors.push(`iframe page: ${e.message}`))

  await step('iframe page: postMessage buttons drive the player; step and height events arrive', async () => {
    await page.goto(`${baseUrl}examples/embed-iframe.html`)
    const frame = page.frameLocator('#player')
    await frame.locator('[data-testid="player"]').waitFor()
    const f = page.frame({ url: (u) => u.pathname.endsWith('/embed.html') })!
    await page.getByRole('button', { name: 'Step forward' }).click()
    await page.getByRole('button', { name: 'Step forward' }).click()
    await until(() => framePlayerStep(f), (n) => n === 2, 'two Step forward commands did not reach step 2')
    await page.getByRole('button', { name: 'Step back' }).click()
    await until(() => framePlayerStep(f), (n) => n === 1, 'Step back did not reach step 1')
    await page.getByLabel('Step', { exact: true }).fill('12')
    await page.getByRole('button', { name: 'Seek' }).click()
    await until(() => framePlayerStep(f), (n) => n === 12, 'Seek did not reach step 12')
    await until(() => page.locator('#status').innerText(), (t) => t === 'step 12 of 23', 'the host did not get the step event')
    await page.getByRole('button', { name: 'Play' }).click()
    await until(() => framePlayerStep(f), (n) => n > 13, 'Play did not play')
    await page.getByRole('button', { name: 'Pause' }).click()
    const paused = await framePlayerStep(f)
    await page.waitForTimeout(700)
    check((await framePlayerStep(f)) <= paused + 1, 'Pause did not stop the player')
    const log = await page.locator('#log').innerText()
    check(log.includes('"type":"pep703:height"'), 'no height event arrived')
    const frameHeight = await page.locator('#player').evaluate((el) => el.getBoundingClientRect().height)
    const contentHeight = await f.evaluate(() => Math.ceil(document.getElementById('root')!.getBoundingClientRect().height))
    check(Math.abs(frameHeight - contentHeight) <= 2, `the host sized the iframe to ${frameHeight}px; its content is ${contentHeight}px`)
    check((await f.evaluate(() => document.documentElement.dataset.ignoredMessages)) === '0', 'same-origin commands were ignored')
    await screenshot(page, 'embed-iframe')
  })

  await step('iframe on another origin: acts only for origins in origin=, ignores malformed messages (counted)', async () => {
    const embedUrl = (origins: string) => `${baseUrl}embed.html?story=01-owner-fast-path&controls=minimal&origin=${encodeURIComponent(origins)}`
    // Allowed: the host's origin is listed.
    await page.goto(`${otherOrigin}/__host.html?src=${encodeURIComponent(embedUrl(otherOrigin))}`)
    await page.frameLocator('#frame').locator('[data-testid="player"]').waitFor()
    const f = page.frame({ url: (u) => u.pathname.endsWith('/embed.html') })!
    const target = new URL(baseUrl).origin
    const send = (message: unknown) =>
      page.evaluate(([m, t]) => (document.getElementById('frame') as HTMLIFrameElement).contentWindow!.postMessage(m, t as string), [message, target] as const)
    await send({ type: 'pep703:seek', step: 3 })
    await until(() => framePlayerStep(f), (n) => n === 3, 'a seek from an allowed origin was not obeyed')
    for (const bad of ['pep703:play', null, 42, [], { type: 'pep703:seek', step: '5' }, { type: 'pep703:seek', step: -1 }, { type: 'pep703:step', delta: 1.5 }, { type: 'other' }]) {
      await send(bad)
    }
    await send({ type: 'pep703:step' })
    await until(() => framePlayerStep(f), (n) => n === 4, 'a step after malformed messages was not obeyed')
    const counts = await f.evaluate(() => ({ ...document.documentElement.dataset }))
    check(counts.ignoredMessages === '8', `ignored ${counts.ignoredMessages} messages, expected the 8 malformed ones`)
    check(counts.handledMessages === '2', `handled ${counts.handledMessages} messages, expected 2`)
    const events = await until(
      () => page.evaluate(() => (window as unknown as { events: { type: string; step?: number }[] }).events),
      (e) => e.some((x) => x.type === 'pep703:step' && x.step === 4) && e.some((x) => x.type === 'pep703:height'),
      'the other-origin host did not get step and height events',
    )
    check(events.length > 0, 'no events')

    // Not allowed: another origin is listed, so this host's commands are ignored.
    await page.goto(`${otherOrigin}/__host.html?src=${encodeURIComponent(embedUrl('https://docs.example.org'))}`)
    await page.frameLocator('#frame').locator('[data-testid="player"]').waitFor()
    const g = page.frame({ url: (u) => u.pathname.endsWith('/embed.html') })!
    await send({ type: 'pep703:seek', step: 3 })
    await send({ type: 'pep703:play' })
    await until(() => g.evaluate(() => document.documentElement.dataset.ignoredMessages), (n) => n === '2', 'messages from an unlisted origin were not counted as ignored')
    check((await framePlayerStep(g)) === 0, 'a command from an unlisted origin moved the player')
    const got = await page.evaluate(() => (window as unknown as { events: unknown[] }).events.length)
    check(got === 0, `an unlisted origin received ${got} events`)
  })
  await page.close()
}

async function presenterChecks(context: BrowserContext, baseUrl: string, errors: string[]): Promise<void> {
  const view = `${baseUrl}?v=1&story=03-queued-then-merged&step=3`
  const present = await context.newPage()
  const notes = await context.newPage()
  for (const [p, name] of [[present, 'presenter'], [notes, 'notes']] as const) {
    p.setDefaultTimeout(15_000)
    p.on('pageerror', (e) => errors.push(`${name}: ${e.message}`))
  }
  const presentStep = async () => Number(await present.getByTestId('player').getAttribute('data-step'))
  const notesStep = async () => Number(/Step (\d+) of/.exec(await notes.getByTestId('notes-step').innerText())?.[1] ?? -1)

  await step('presenter mode: no page chrome, no controls, high contrast, large type', async () => {
    await present.goto(`${view}&present=1`)
    await present.getByTestId('player').waitFor()
    check((await present.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).count()) === 0, 'the app header is shown')
    check((await present.locator('.pep-controls, .pep-settings, nav.sidebar').count()) === 0, 'controls or the scenario list are shown')
    check((await present.getByTestId('player').getAttribute('data-theme')) === 'contrast', 'not the high-contrast theme')
    const size = await present.getByTestId('player').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    check(size >= 18, `presenter type is ${size}px`)
    check((await presentStep()) === 3, `presenter opened at step ${await presentStep()}`)
    await screenshot(present, 'presenter')
  })

  await step('presenter mode: a speaker-notes window stays in sync both ways (BroadcastChannel)', async () => {
    await notes.goto(`${view}&notes=1`)
    await notes.getByTestId('notes-now').waitFor()
    await present.bringToFront()
    await present.keyboard.press('PageDown')
    await present.keyboard.press('PageDown')
    await until(presentStep, (n) => n === 5, 'PageDown did not step the presenter')
    await until(notesStep, (n) => n === 5, 'the notes window did not follow the presenter')
    const narration = (await present.getByTestId('narration').innerText()).replace(/\s+/g, ' ')
    const said = (await notes.getByTestId('notes-now').innerText()).replace(/\s+/g, ' ')
    check(narration.includes(said), `the notes say “${said}”, the screen “${narration}”`)
    await notes.getByRole('button', { name: 'Next →' }).click()
    await until(presentStep, (n) => n === 6, 'Next in the notes window did not move the presenter')
    await notes.keyboard.press('PageUp')
    await notes.keyboard.press('PageUp')
    await until(presentStep, (n) => n === 4, 'PageUp in the notes window did not move the presenter')
    await present.keyboard.press('ArrowLeft')
    await until(notesStep, (n) => n === 3, 'ArrowLeft in the presenter did not move the notes')
    await until(() => Promise.resolve(new URL(present.url()).searchParams.get('step')), (s) => s === '3', 'the presenter’s address is not a link to the step')
    await screenshot(notes, 'presenter-notes')
  })

  await step('presenter mode: B blanks the screen (in either window), B or Esc shows it again', async () => {
    await present.bringToFront()
    await present.keyboard.press('b')
    await present.getByTestId('presenter-blank').waitFor()
    await until(() => notes.locator('.notes-blank').count(), (n) => n === 1, 'the notes window does not show that the screen is blank')
    await present.keyboard.press('Escape')
    await present.getByTestId('presenter-blank').waitFor({ state: 'detached' })
    await notes.bringToFront()
    await notes.keyboard.press('B')
    await present.getByTestId('presenter-blank').waitFor()
    await notes.keyboard.press('b')
    await present.getByTestId('presenter-blank').waitFor({ state: 'detached' })
  })

  await step('presenter mode: export the view as SVG (inline styles) and PNG', async () => {
    await present.bringToFront()
    await present.locator('.presenter-toolbar').hover()
    const [svgDownload] = await Promise.all([present.waitForEvent('download'), present.getByRole('button', { name: 'Export SVG' }).click()])
    const svgPath = await svgDownload.path()
    const svg = await readFile(svgPath, 'utf8')
    check(svgDownload.suggestedFilename() === '03-queued-then-merged-step-3.svg', `SVG named ${svgDownload.suggestedFilename()}`)
    check(svg.includes('<svg') && svg.includes('style="fill:') && !svg.includes('class="'), 'the SVG has no inline styles (or still has classes)')
    check(svg.includes('step 3 of 23') && svg.includes('story=03-queued-then-merged'), 'the SVG has no caption with a link back')
    const [pngDownload] = await Promise.all([present.waitForEvent('download'), present.getByRole('button', { name: 'Export PNG' }).click()])
    const png = await readFile(await pngDownload.path())
    check(png.subarray(1, 4).toString() === 'PNG' && png.length > 10_000, `the PNG is ${png.length} bytes`)
    const rendered = await present.evaluate(async (text) => {
      const img = new Image()
      img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
      await img.decode()
      return { w: img.naturalWidth, h: img.naturalHeight }
    }, svg)
    check(rendered.w > 400 && rendered.h > 200, `the SVG does not render as an image (${rendered.w}×${rendered.h})`)
  })
  await present.close()
  await notes.close()
}

async function singleFileChecks(context: BrowserContext, errors: string[]): Promise<void> {
  const file = path.join(DIST, 'pep703-explorer.html')
  await step('single file: dist/pep703-explorer.html plays from file:// with every network request aborted', async () => {
    check(existsSync(file), 'dist/pep703-explorer.html is missing: run `npm run build:single` (npm run test:e2e does)')
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('pageerror', (e) => errors.push(`single file: ${e.message}`))
    const blocked: string[] = []
    await page.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
      blocked.push(url)
      return route.abort('internetdisconnected')
    })
    const url = `${pathToFileURL(file).href}?v=1&story=03-queued-then-merged`
    await page.goto(url)
    await page.getByRole('heading', { level: 1, name: 'PEP 703 Explorer' }).waitFor()
    const links = await page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link').count()
    check(links >= 8, `only ${links} scenarios are listed`)
    const player = page.getByTestId('player').first()
    await player.getByRole('button', { name: 'Play' }).click()
    await until(async () => Number(await player.getAttribute('data-step')), (n) => n >= 3, 'playing from file:// did not advance')
    await player.getByRole('button', { name: 'Pause' }).click()
    await page.getByRole('navigation', { name: 'Scenarios' }).getByRole('link').first().click()
    await until(async () => Number(await player.getAttribute('data-step')), (n) => n === 0, 'opening another scenario did not reset the step')
    await player.getByRole('button', { name: 'Step forward' }).click()
    await until(async () => Number(await player.getAttribute('data-step')), (n) => n === 1, 'stepping from file:// did not work')
    check(blocked.length === 0, `the page tried the network: ${blocked.join(', ')}`)
    await screenshot(page, 'single-file')
    await page.close()
  })
}

async function snippetChecks(context: BrowserContext, baseUrl: string, otherOrigin: string, errors: string[]): Promise<void> {
  await step('the app’s embed code works when pasted into a page on another origin (component and iframe)', async () => {
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('pageerror', (e) => errors.push(`snippet page: ${e.message}`))
    await page.goto(`${baseUrl}?v=1&story=03-queued-then-merged&step=7&mode=gil`)
    await page.getByRole('button', { name: 'Copy embed code' }).click()
    const component = await page.getByTestId('embed-component-code').inputValue()
    const iframe = await page.getByTestId('embed-iframe-code').inputValue()
    check(component.includes(`src="${baseUrl}embed/pep703-explorer.js"`), `the component snippet loads the wrong script:\n${component}`)
    check(component.includes('<pep703-explorer story="03-queued-then-merged" step="7" mode="gil"></pep703-explorer>'), `component snippet:\n${component}`)
    check(/title="PEP 703 Explorer: [^"]+"/.test(iframe) && iframe.includes('allow="fullscreen"'), `iframe snippet:\n${iframe}`)
    await page.goto(`${otherOrigin}/__blank.html`)
    await page.evaluate(([c, f]) => {
      // As an author would paste them: the markup goes into the page (scripts inserted as HTML
      // do not run, so the module script is added as an element).
      const src = /src="([^"]+)"/.exec(c)![1]!
      const script = document.createElement('script')
      script.type = 'module'
      script.src = src
      document.head.append(script)
      const holder = document.createElement('div')
      holder.innerHTML = c.replace(/<script[^>]*><\/script>\n?/, '') + f
      document.body.append(holder)
    }, [component, iframe] as const)
    const player = page.locator('pep703-explorer [data-testid="player"]')
    await player.waitFor()
    check((await player.getAttribute('data-step')) === '7', 'the pasted component is not at step 7')
    check((await page.locator('pep703-explorer [data-mode="gil"]').count()) > 0, 'the pasted component is not in gil mode')
    const frame = page.frameLocator('iframe').locator('[data-testid="player"]')
    await frame.waitFor()
    check((await frame.getAttribute('data-step')) === '7', 'the pasted iframe is not at step 7')
    await page.close()
  })
}

async function axeChecks(context: BrowserContext, baseUrl: string): Promise<void> {
  await step('axe: embed.html, presenter mode and the notes window have no serious violations', async () => {
    const page = await context.newPage()
    const bad: string[] = []
    for (const url of [
      `${baseUrl}embed.html?story=03-queued-then-merged&step=5`,
      `${baseUrl}embed.html?story=nope&step=x`,
      `${baseUrl}?v=1&story=03-queued-then-merged&step=5&present=1`,
      `${baseUrl}?v=1&story=03-queued-then-merged&step=5&notes=1`,
    ]) {
      await page.goto(url)
      await page.locator('[data-testid="player"], [data-testid="notes-now"], [data-testid="embed-problems"]').first().waitFor()
      const results = await new AxeBuilder({ page }).analyze()
      for (const v of results.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          bad.push(`${url}: ${v.impact}: ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`)
        }
      }
    }
    await page.close()
    check(bad.length === 0, bad.join('\n'))
  })
}

async function main(): Promise<number> {
  const distFiles = ['index.html', 'embed.html', 'embed/pep703-explorer.js', 'examples/embed-component.html']
  const context = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US', colorScheme: 'light' } as const
  return runInChromium('e2e (embeds)', { distFiles, context }, async () => {
    await step('the component module imports on the server (no window, no document) and defines nothing there', async () => {
      const g = globalThis as Record<string, unknown>
      check(g.window === undefined && g.customElements === undefined, 'this Node has a window')
      const mod = (await import(pathToFileURL(path.join(DIST, 'embed/pep703-explorer.js')).href)) as Record<string, unknown>
      check(typeof mod === 'object', 'the module did not load')
    })
    const a = await serveDist()
    const b = await serveDist()
    const errors: string[] = []
    const checks = async (context: BrowserContext) => {
      await componentChecks(context, a.url, errors)
      await iframeChecks(context, a.url, b.origin, errors)
      await presenterChecks(context, a.url, errors)
      await snippetChecks(context, a.url, b.origin, errors)
      await axeChecks(context, a.url)
      await singleFileChecks(context, errors)
      await step('no uncaught errors in the pages', async () => {
        check(errors.length === 0, errors.join('\n'))
      })
    }
    return { describe: `${a.url} and ${b.origin}`, checks, cleanup: () => (a.server.close(), b.server.close()) }
  })
}

const timer = setTimeout(() => {
  console.error(`e2e (embeds): gave up after ${OVERALL_TIMEOUT_MS / 1000} s`)
  process.exit(1)
}, OVERALL_TIMEOUT_MS)
timer.unref()

process.exitCode = await main()
