// Input generators for the fuzz targets (fast-check arbitraries), shared by `npm run fuzz`
// (scripts/fuzz.ts, tens of thousands of cases per target) and test/trust/fuzz.test.ts (a few
// thousand, in `npm test`). Two kinds of input: random text, and grammar-aware mutations of the
// real corpus (stories/examples/*.scenario, test/scenarios/**, stories/*.md, the story fixtures),
// which get past the first line of the parsers and reach the deep paths.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'
import fc from 'fast-check'
import { benchScenarioText } from '../../scripts/benchScenario.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) out.push(...filesUnder(file, ext))
    else if (name.endsWith(ext)) out.push(file)
  }
  return out
}

const read = (file: string) => readFileSync(file, 'utf8')

/** Script and markup payloads: what an attacker pastes. Used by the fuzzers and the injection tests. */
export const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload=window.__pwned=1>',
  "'><iframe srcdoc=\"<script>parent.__pwned=1</script>\">",
  'javascript:window.__pwned=1',
  '</textarea><img src=x onerror=window.__pwned=1>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '${window.__pwned=1}',
  '<style>*{display:none!important}</style>',
  '&lt;b&gt;&amp;&#x3C;',
  '\u202egnp.exe',
  '\u0000\uFEFF\u2028',
]

export const SCENARIO_FILES = [...filesUnder(path.join(ROOT, 'stories/examples'), '.scenario'), ...filesUnder(path.join(ROOT, 'test/scenarios'), '.scenario')]
export const SCENARIO_CORPUS: readonly string[] = [...SCENARIO_FILES.map(read), benchScenarioText()]
export const STORY_FILES = [
  ...readdirSync(path.join(ROOT, 'stories'))
    .filter((f) => /^\d.*\.md$/.test(f))
    .map((f) => path.join(ROOT, 'stories', f)),
  ...filesUnder(path.join(ROOT, 'test/story/fixtures'), '.md'),
]
export const STORY_CORPUS: readonly string[] = STORY_FILES.map(read)

/** The corpus split into words and punctuation: what token replacements draw from. */
function vocabulary(texts: readonly string[]): string[] {
  const words = new Set<string>()
  for (const t of texts) for (const w of t.split(/(\s+|[(),.:=[\]{}#`"'-])/)) if (w && w.length < 40) words.add(w)
  return [...words].sort()
}

const EXTRA_TOKENS = [
  '999999999999999999999999',
  '1e309',
  '-0',
  'NaN',
  '0x7fffffff',
  '-1',
  '65',
  '4294967296',
  '\t',
  '\r',
  '\r\n',
  '\u00a0',
  'ñ',
  '🧵',
  '\u0301',
  '\uD800',
  '---',
  '```',
  '```scenario',
  '~~~',
  '#>',
  '#?',
  '#!',
  'as',
  'expect',
  'schedule:',
  'threads:',
  'mode:',
  'random(seed=',
  'round-robin',
  'G.',
  'del',
  'gc.collect()',
  'Py_BEGIN_CRITICAL_SECTION(',
  'Py_END_CRITICAL_SECTION()',
  'deadlock',
  ...HOSTILE,
]

const SCENARIO_VOCAB = [...vocabulary(SCENARIO_CORPUS), ...EXTRA_TOKENS]
const STORY_VOCAB = [...vocabulary(STORY_CORPUS), ...EXTRA_TOKENS, 'id:', 'title:', 'order:', 'minutes:', 'tags:', 'compare:', '[x](javascript:alert(1))', '<b>', '![](x)']

/** Any text: ASCII, full Unicode (lone surrogates included), and runs of the vocabulary. */
function randomText(vocab: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.array(fc.oneof(fc.constantFrom(...vocab), fc.constantFrom(' ', '\n', ': ', ', ')), { maxLength: maxLength / 4 }).map((a) => a.join('')),
  )
}

type Mutation =
  | { k: 'delete'; at: number }
  | { k: 'duplicate'; at: number; times: number }
  | { k: 'swap'; at: number; with: number }
  | { k: 'insert'; at: number; line: string }
  | { k: 'token'; at: number; word: number; token: string }
  | { k: 'chars'; at: number; offset: number; text: string }
  | { k: 'truncate'; at: number }

function mutation(vocab: readonly string[]): fc.Arbitrary<Mutation> {
  const token = fc.constantFrom(...vocab)
  return fc.oneof(
    fc.record({ k: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ k: fc.constant('duplicate' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ k: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ k: fc.constant('insert' as const), at: fc.nat(), line: fc.array(token, { maxLength: 8 }).map((a) => a.join(' ')) }),
    fc.record({ k: fc.constant('token' as const), at: fc.nat(), word: fc.nat(), token }),
    fc.record({ k: fc.constant('chars' as const), at: fc.nat(), offset: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 6 }) }),
    fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
  )
}

function applyMutation(lines: string[], m: Mutation): string[] {
  const n = lines.length
  const at = n === 0 ? 0 : m.at % n
  const out = lines.slice()
  switch (m.k) {
    case 'delete':
      out.splice(at, 1)
      break
    case 'duplicate':
      out.splice(at, 0, ...Array<string>(m.times).fill(lines[at] ?? ''))
      break
    case 'swap':
      if (n > 0) [out[at], out[m.with % n]] = [out[m.with % n]!, out[at]!]
      break
    case 'insert':
      out.splice(at, 0, m.line)
      break
    case 'token': {
      const words = (out[at] ?? '').split(/(\s+|[(),.:=[\]{}])/)
      if (words.length > 0) words[m.word % words.length] = m.token
      out[at] = words.join('')
      break
    }
    case 'chars': {
      const line = out[at] ?? ''
      const offset = m.offset % (line.length + 1)
      out[at] = line.slice(0, offset) + m.text + line.slice(offset)
      break
    }
    case 'truncate':
      out.splice(at)
      break
  }
  return out
}

/** A corpus text with 1–6 mutations applied (line deletes, duplicates, swaps, token swaps, …). */
function mutated(corpus: readonly string[], vocab: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...corpus), fc.array(mutation(vocab), { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'))
    .map(([text, ms, eol]) => ms.reduce(applyMutation, text.split(/\r?\n/)).join(eol))
}

export const scenarioText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: randomText(SCENARIO_VOCAB, 400), weight: 1 },
  { arbitrary: mutated(SCENARIO_CORPUS, SCENARIO_VOCAB), weight: 3 },
)

export const storyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: randomText(STORY_VOCAB, 400), weight: 1 },
  { arbitrary: mutated(STORY_CORPUS, STORY_VOCAB), weight: 3 },
)

export const MODE_VALUES = ['free-threaded', 'gil', 'atomic', 'unsafe'] as const
const modeOrJunk = fc.oneof(fc.constantFrom<string>(...MODE_VALUES), fc.constantFrom('GIL', 'free_threaded', '', ' gil', 'null'), fc.string({ maxLength: 12 }))

/** Values a stranger's link or an attribute may carry for a number. */
const numberish = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('1e12', '1000000000000', '9'.repeat(400), '-1', '0x10', '1.5', ' 7 ', '', 'Infinity', 'NaN', '16x', '0.0001', '1e-9', '٣', '７'),
  fc.double().map(String),
  fc.string({ maxLength: 8 }),
)

/** Base64url of some bytes: usually a (mutated) scenario's UTF-8, sometimes raw bytes or junk. */
const fragmentValue = fc.oneof(
  scenarioText.map((t) => Buffer.from(t, 'utf8').toString('base64url')),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('', '=', 'A', 'AAA=', '====', '%ZZ', '_-_-', 'PHNjcmlwdD4'),
)

function queryString(pairs: readonly (readonly [string, string])[], encode: boolean): string {
  return pairs.map(([k, v]) => (encode ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`)).join('&')
}

/** A URL's search and hash: the app's parameters with good, bad and hostile values. */
export const urlInput: fc.Arbitrary<{ search: string; hash: string }> = fc
  .record({
    pairs: fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom('story', 'scenario'), fc.oneof(fc.constantFrom('03-queued-then-merged', 'queued-merge', '01-owner-fast-path', ...HOSTILE), fc.string({ maxLength: 30 }))),
        fc.tuple(fc.constant('step'), numberish),
        fc.tuple(fc.constantFrom('mode', 'compare'), modeOrJunk),
        fc.tuple(fc.constant('speed'), numberish),
        fc.tuple(fc.constant('v'), fc.oneof(fc.constant('1'), numberish)),
        fc.tuple(fc.constantFrom('autoplay', 'plain', 'present', 'notes'), fc.constantFrom('1', '0', '', 'true', 'yes')),
        fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })),
      ),
      { maxLength: 8 },
    ),
    encode: fc.boolean(),
    raw: fc.option(fc.string({ unit: 'binary', maxLength: 80 })),
    fragment: fc.option(fc.oneof(fragmentValue.map((v) => `#scenario=${v}`), fc.string({ maxLength: 40 }).map((s) => `#${s}`), fc.constant('#scenario='))),
  })
  .map(({ pairs, encode, raw, fragment }) => ({ search: raw ?? `?${queryString(pairs, encode)}`, hash: fragment ?? '' }))

export const EMBED_ATTRIBUTES = ['story', 'scenario', 'step', 'mode', 'compare', 'autoplay', 'speed', 'controls', 'panels', 'theme', 'height', 'heading', 'label'] as const

const attributeValue = fc.oneof(
  numberish,
  modeOrJunk,
  fc.constantFrom('all', 'minimal', 'none', 'code, counters', 'source results', 'auto', 'light', 'dark', 'contrast', 'high-contrast', '600', '600px', '40em', '80vh', '100%', '1e9px', 'calc(100vh)', 'url(x)', '0', '03-queued-then-merged', 'queued-merge'),
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

/** An embed's attributes (or embed.html's query): any subset, any values, and inline scenario text. */
export const embedInput: fc.Arbitrary<{ attributes: Record<string, string>; inlineText: string | null }> = fc.record({
  attributes: fc
    .array(fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...EMBED_ATTRIBUTES), weight: 5 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 }), attributeValue), { maxLength: 10 })
    .map((pairs) => {
      const out: Record<string, string> = {}
      for (const [k, v] of pairs) out[k] = v
      return out
    }),
  inlineText: fc.option(scenarioText.map((t) => t.replace(/^/gm, '    '))),
})

/** Whatever another window may post: our commands, near misses and arbitrary values. */
export const messageData: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ type: fc.constantFrom('pep703:play', 'pep703:pause', 'pep703:step', 'pep703:seek') }),
  fc.record(
    {
      type: fc.constantFrom('pep703:play', 'pep703:pause', 'pep703:step', 'pep703:seek', 'pep703:height', 'PEP703:PLAY', 'pep703:eval'),
      delta: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e15, -1e15, Number.NaN, Infinity), fc.string(), fc.constant(null)),
      step: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e12, -1, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1), fc.string(), fc.constant(null)),
    },
    { requiredKeys: ['type'] },
  ),
  fc.anything({ maxDepth: 3, withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom<unknown>('pep703:play', ['pep703:play'], { type: { toString: () => 'pep703:play' } }, Object.create(null)),
)

/** Values of the iframe's `origin=`/`origins=` parameters. */
export const originValues: fc.Arbitrary<string[]> = fc.array(
  fc.oneof(fc.webUrl(), fc.constantFrom('https://docs.example.org', 'http://127.0.0.1:8080', 'null', '*', 'file:///x', 'javascript:alert(1)', 'https://a.org, https://b.org', 'data:text/html,x', ''), fc.string({ maxLength: 30 })),
  { maxLength: 4 },
)

/** A playground share link's #s= value: deflate (zlib) of a scenario, often damaged on the way. */
export const shareFragment: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(scenarioText, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.option(fc.nat()))
    .map(([text, flips, cut]) => {
      const bytes = deflateSync(Buffer.from(text, 'utf8'))
      for (const [at, value] of flips) bytes[at % bytes.length] = value
      return Buffer.from(cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1))).toString('base64url')
    }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.string({ maxLength: 60 }),
)
