// The fuzz targets: each runs one generated input through an entry point that takes untrusted
// text and checks what must hold for every input. A target returns nothing when the input was
// handled well and throws a FuzzFailure (or anything else: an exception escaping the entry point
// is itself the failure) when it was not. Shared by scripts/fuzz.ts and test/trust/fuzz.test.ts.
//
// What "handled well" means everywhere: no exception escapes, and every rejection is a sentence
// (with a line and column where the API has them). Per target, a few more invariants below.

import fc from 'fast-check'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { MODES, parseScenario, runScenario, formatTrace, type Diagnostic, type Mode } from '../../src/engine'
import { parseStory, isStoryText, playgroundSource, noteForLine } from '../../src/story'
import { buildUrl, parseUrl } from '../../src/app/url'
import { applyView } from '../../src/app/view'
import { toScenarioList, type BuiltinScenario } from '../../src/app/scenarios'
import { Markdown } from '../../src/app/course/Markdown'
import { createExplorerStore, lastPosition, SPEEDS } from '../../src/store/explorerStore'
import { resolveEmbed, storeOptions } from '../../src/embed/resolve'
import { originAllowed, parseCommand, parseOrigins, runCommand } from '../../src/embed/messages'
import { readFragment } from '../../src/playground/share'
import { embedInput, messageData, originValues, scenarioText, shareFragment, storyText, urlInput, SCENARIO_CORPUS, SCENARIO_FILES } from './generators'

export class FuzzFailure extends Error {}

function fail(message: string): never {
  throw new FuzzFailure(message)
}

/** Words that mean a message was built from a missing value; fine only when the input has them. */
const LEAKS = ['undefined', 'NaN', '[object Object]']

function checkSentence(what: string, message: unknown, input: string): void {
  if (typeof message !== 'string' || message.trim() === '') fail(`${what}: empty or not a string: ${JSON.stringify(message)}`)
  for (const leak of LEAKS) if (message.includes(leak) && !input.includes(leak)) fail(`${what} shows "${leak}": ${message}`)
}

function checkPosition(what: string, line: unknown, column: unknown, maxLine: number): void {
  if (!Number.isInteger(line) || (line as number) < 1 || (line as number) > maxLine) fail(`${what}: line ${String(line)} is not within 1..${maxLine}`)
  if (!Number.isInteger(column) || (column as number) < 1) fail(`${what}: column ${String(column)} is not a positive integer`)
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length
}

function checkDiagnostics(errors: readonly Diagnostic[], text: string, file: string): void {
  if (errors.length === 0) fail('rejected without a message')
  for (const e of errors) {
    checkSentence('parse error', e.message, text)
    checkPosition(`parse error "${e.message}"`, e.line, e.column, lineCount(text) + 1)
    if (e.file !== file) fail(`parse error names file ${e.file}, not ${file}`)
  }
}

/** The micro-steps the fuzzers let a run take: enough to reach every statement of the corpus. */
export const FUZZ_MAX_STEPS = 3_000

function checkScenario([text, modeIndex]: readonly [string, number]): void {
  const file = 'fuzz.scenario'
  const parsed = parseScenario(text, file)
  if (!parsed.ok) return checkDiagnostics(parsed.errors, text, file)
  const mode: Mode = MODES[modeIndex % MODES.length]!
  const trace = runScenario(parsed.scenario, { mode, maxSteps: FUZZ_MAX_STEPS })
  if (!['finished', 'deadlock', 'error'].includes(trace.outcome.kind)) fail(`unknown outcome ${trace.outcome.kind}`)
  checkSentence('outcome', trace.outcome.message, text)
  if (trace.length > FUZZ_MAX_STEPS) fail(`ran ${trace.length} steps past the limit ${FUZZ_MAX_STEPS}`)
  for (const e of trace.expectations) {
    if (!e.ok) for (const f of e.failures) checkSentence(`expectation on line ${e.line}`, f.message, text)
  }
  // Every position can be shown, and every step narrated (what the player and screen readers get).
  for (const p of [0, 1, Math.floor(trace.length / 2), trace.length - 1, trace.length]) trace.stateAt(p)
  for (const line of formatTrace(trace).split('\n')) for (const leak of LEAKS) if (line.includes(leak) && !text.includes(leak)) fail(`trace line shows "${leak}": ${line}`)
}

/**
 * Tags and attributes that would mean story prose became markup. React escapes `<` in text and
 * `<`, `>`, `"` in attribute values, so every `<` in its output opens a real tag.
 */
const MARKUP = /<(?:script|img|svg|iframe|style|object|embed|form|input|link|meta|base)\b|<[^>]*\son[a-z]+\s*=|<[^>]*\s(?:href|src)="\s*(?:javascript|data|vbscript):/i

function checkStoryText(text: string): void {
  const file = 'stories/99-fuzz.md'
  isStoryText(text)
  const result = parseStory(text, file)
  if (!result.ok) {
    if (result.errors.length === 0) fail('story rejected without a message')
    for (const e of result.errors) {
      checkSentence('story error', e.message, text)
      checkPosition(`story error "${e.message}"`, e.line, e.column, lineCount(text.replace(/^\uFEFF/, '')) + 1)
    }
    return
  }
  const { story } = result
  // The playground and plain view take the story's scenario as a scenario of its own: it must parse.
  const plain = parseScenario(playgroundSource(story), story.file)
  if (!plain.ok) fail(`the story parses but its playground source does not: ${plain.errors[0]!.message}`)
  for (const s of story.scenario.statements) noteForLine(story, s.line)
  // Prose and narration render as elements only: nothing from the text becomes markup.
  const prose = [story.prose.before, story.prose.after, ...story.notes.map((n) => n.narration)]
  for (const md of prose) {
    const html = renderToStaticMarkup(createElement(Markdown, { text: md }))
    const bad = MARKUP.exec(html)
    if (bad) fail(`story prose rendered as markup (${bad[0]}): ${html.slice(Math.max(0, bad.index - 60), bad.index + 60)}`)
  }
}

/** The built-in scenarios as the app lists them (read from the corpus: no import.meta.glob here). */
const BUILTINS: readonly BuiltinScenario[] = toScenarioList(
  Object.fromEntries(SCENARIO_FILES.filter((f) => f.includes('/stories/examples/')).map((f, i) => [f, SCENARIO_CORPUS[i]!])),
)

function checkUrl({ search, hash }: { search: string; hash: string }): void {
  const input = search + hash
  const parsed = parseUrl(search, hash)
  const { view } = parsed
  if (view.step !== null && !(Number.isSafeInteger(view.step) && view.step >= 0)) fail(`step ${view.step} is not a whole number`)
  if (view.speed !== null && !(view.speed >= SPEEDS[0] && view.speed <= SPEEDS[SPEEDS.length - 1]!)) fail(`speed ${view.speed} is out of range`)
  for (const p of parsed.problems) if (p.kind === 'fragment') checkSentence('fragment problem', p.message, input)
  // A link the app makes reads back as the same view.
  if (parsed.problems.length === 0) {
    const again = buildUrl(view)
    const back = parseUrl(again.search, again.hash)
    // (buildUrl leaves out the defaults, step 0 and speed 1, and the story when a text replaces it.)
    const expected = { ...view, story: view.scenarioText === null ? view.story : null, step: view.step === 0 ? null : view.step, speed: view.speed === 1 ? null : view.speed }
    if (JSON.stringify(back.view) !== JSON.stringify(expected)) fail(`buildUrl/parseUrl round trip changed the view: ${JSON.stringify(view)} -> ${JSON.stringify(back.view)}`)
  }
  // The page: what a stranger's link does to a player.
  const store = createExplorerStore()
  const notices = applyView(store, parsed, BUILTINS)
  for (const n of notices) {
    checkSentence(`notice ${n.key}`, n.title, input)
    if (n.detail !== undefined) checkSentence(`notice ${n.key} detail`, n.detail, input)
  }
  const s = store.getState()
  const last = lastPosition(s)
  if (!Number.isInteger(s.position) || s.position < 0 || s.position > last) fail(`position ${s.position} is outside 0..${last}`)
  // (Autoplay from the end starts over, as play() does.)
  if (view.step !== null && !view.autoplay && s.sim?.kind === 'ok' && view.step >= last && s.position !== last) fail(`step ${view.step} is past the end (${last}) but the player shows ${s.position}`)
  s.pause()
}

function checkEmbed({ attributes, inlineText }: { attributes: Record<string, string>; inlineText: string | null }): void {
  const input = JSON.stringify(attributes) + (inlineText ?? '')
  const get = (name: string) => (Object.prototype.hasOwnProperty.call(attributes, name) ? attributes[name]! : null)
  const resolved = resolveEmbed(get, inlineText, BUILTINS)
  const o = resolved.options
  for (const p of resolved.problems) checkSentence(`problem with ${p.key}`, p.message, input)
  if (!Number.isSafeInteger(o.step) || o.step < 0) fail(`step ${o.step}`)
  if (!(o.speed >= SPEEDS[0] && o.speed <= SPEEDS[SPEEDS.length - 1]!)) fail(`speed ${o.speed}`)
  // The height goes into a style: only a number and a unit may get there.
  if (o.height !== null && !/^\d{1,5}(?:\.\d{1,3})?(?:px|em|rem|vh|svh|dvh|%)$/.test(o.height)) fail(`height ${JSON.stringify(o.height)} is not a plain length`)
  for (const t of [o.heading, o.label]) if (t !== null && t.length > 200) fail('a heading or label longer than 200 characters')
  if (resolved.source === null && !resolved.problems.some((p) => p.tone === 'error')) fail('nothing to show, and no error says why')
  const store = createExplorerStore(storeOptions(resolved, null))
  const s = store.getState()
  if (s.position < 0 || s.position > lastPosition(s)) fail(`position ${s.position}`)
  s.pause()
}

let messageStore: ReturnType<typeof createExplorerStore> | null = null

function checkMessage([data, origins]: readonly [unknown, string[]]): void {
  const command = parseCommand(data)
  if (command !== null) {
    const ok =
      command.type === 'pep703:play' ||
      command.type === 'pep703:pause' ||
      (command.type === 'pep703:step' && Number.isSafeInteger(command.delta)) ||
      (command.type === 'pep703:seek' && Number.isSafeInteger(command.step) && command.step >= 0)
    if (!ok) fail(`accepted a malformed command: ${JSON.stringify(command)}`)
    messageStore ??= createExplorerStore({ source: BUILTINS.find((b) => b.id === '03-queued-then-merged') ?? BUILTINS[0]! })
    runCommand(messageStore, command)
    const s = messageStore.getState()
    if (!Number.isInteger(s.position) || s.position < 0 || s.position > lastPosition(s)) fail(`a command moved the player to ${s.position}`)
    s.pause()
  }
  const allowed = parseOrigins(origins)
  for (const a of allowed) if (!/^https?:\/\/[^/\s]+$/.test(a)) fail(`parseOrigins let through ${JSON.stringify(a)}`)
  if (originAllowed('null', allowed, 'null')) fail('an opaque origin ("null") was trusted')
  if (allowed.includes('*') || originAllowed('https://evil.example', allowed, 'https://docs.example.org') !== allowed.includes('https://evil.example')) fail('origin check is not an exact match')
}

async function checkShareLink(value: string): Promise<void> {
  const r = await readFragment(`#s=${value}`)
  if (r.kind === 'none') fail('a #s= link read as no scenario')
  if (r.kind === 'error') checkSentence('share link error', r.message, value)
  // What the link opens goes through the player's limits like any text.
  else createExplorerStore({ source: { id: 'custom', file: 'edited.scenario', text: r.text } }).getState().pause()
}

export interface Target<T> {
  readonly name: string
  readonly arbitrary: fc.Arbitrary<T>
  /** Sync, or a promise (the share link decoder uses the browser's DecompressionStream). */
  readonly run: (input: T) => void | Promise<void>
  readonly async?: boolean
}

function target<T>(name: string, arbitrary: fc.Arbitrary<T>, run: (input: T) => void | Promise<void>, async = false): Target<unknown> {
  return { name, arbitrary, run, async } as Target<unknown>
}

/** fast-check as these targets' arbitraries know it (scripts/fuzz.ts loads this module through Vite). */
export { fc }

export function loadTargets(): readonly Target<unknown>[] {
  return [
    target('scenario (parse + run)', fc.tuple(scenarioText, fc.nat()), checkScenario),
    target('story (parse + render prose)', storyText, checkStoryText),
    target('url (parseUrl + applyView)', urlInput, checkUrl),
    target('embed options (attributes + store)', embedInput, checkEmbed),
    target('embed messages (postMessage + origins)', fc.tuple(messageData, originValues), checkMessage),
    target('share link (#s=, deflate)', shareFragment, checkShareLink, true),
  ]
}

/** A short, printable form of an input for a failure report. */
export function show(input: unknown): string {
  try {
    const text = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
    return text === undefined ? String(input) : text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text
  } catch {
    return String(input)
  }
}
