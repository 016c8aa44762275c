// Shared pieces of the end-to-end runs (test/e2e/*.ts) and the benchmark scripts: where things
// are, how Debian's Chromium is started, a tiny check/step reporter, and the run around the checks.

import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext } from 'playwright-core'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const DIST = path.join(ROOT, 'dist')
export const RESULTS = path.join(ROOT, 'test-results')
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
/** Without the background-networking flags Chromium keeps calling out on this closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const OVERALL_TIMEOUT_MS = 300_000

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

export class CheckFailed extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message)
}

/** Passed and failed named checks of this run. */
export const tally = { passed: 0, failed: 0 }

/** Runs one named check, reporting `ok` or `FAIL` with the reason; never throws. */
export async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body()
    tally.passed++
    console.log(`  ok    ${name}`)
  } catch (error) {
    tally.failed++
    const message = error instanceof Error ? error.message : String(error)
    console.error(`  FAIL  ${name}\n        ${message.split('\n').join('\n        ')}`)
  }
}

/** Answers a request for `pathname` with the file of dist/ mounted at `subPath` (or 403/404). */
export async function sendDistFile(res: ServerResponse, pathname: string, subPath: string, headers: Record<string, string> = {}): Promise<void> {
  if (!pathname.startsWith(subPath)) {
    res.writeHead(404).end('not found')
    return
  }
  let file = path.join(DIST, pathname.slice(subPath.length))
  if (!file.startsWith(DIST)) {
    res.writeHead(403).end('forbidden')
    return
  }
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html')
    const body = await readFile(file)
    const type = MIME[path.extname(file)] ?? 'application/octet-stream'
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body)
  } catch {
    res.writeHead(404).end('not found')
  }
}

/**
 * One e2e run: checks that the build (`distFiles`) and Chromium are there, starts Chromium with a
 * fresh profile, runs `checks` in it, reports a failure to set up as a failed check, cleans up
 * (the profile, and `cleanup`, e.g. closing servers) and prints the tally. Returns the exit code.
 */
export async function runInChromium(
  label: string,
  options: { readonly distFiles?: readonly string[]; readonly context?: Parameters<typeof chromium.launchPersistentContext>[1] },
  start: () => Promise<{ readonly describe: string; readonly checks: (context: BrowserContext) => Promise<void>; readonly cleanup: () => void }>,
): Promise<number> {
  for (const file of options.distFiles ?? ['index.html']) {
    if (!existsSync(path.join(DIST, file))) {
      console.error(`${label}: dist/${file} is missing: run \`npm run build\` first (npm run test:e2e does).`)
      return 1
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`${label}: no Chromium at ${CHROMIUM}. Install Debian's: apt-get install -y chromium (.ci/run does), or set CHROMIUM=/path/to/chrome.`)
    return 1
  }
  await mkdir(RESULTS, { recursive: true })
  const { describe, checks, cleanup } = await start()
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'pep703-e2e-'))
  let context: BrowserContext | undefined
  try {
    console.log(`${label}: ${describe} in ${CHROMIUM}`)
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options.context })
    await checks(context)
  } catch (error) {
    tally.failed++
    console.error(`  FAIL  ${label} setup: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await context?.close().catch(() => undefined)
    cleanup()
    await rm(userDataDir, { recursive: true, force: true })
  }
  console.log(`${label}: ${tally.passed} passed, ${tally.failed} failed`)
  return tally.failed === 0 && tally.passed > 0 ? 0 : 1
}
