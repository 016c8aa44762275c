// Command line for scenarios and stories: `npm run scenario -- check FILE…`,
// `npm run scenario -- trace FILE [--mode M] [--json]` and `explore FILE [--mode M] [--json]`. A FILE is a scenario (`*.scenario`) or a
// story (`stories/*.md`, see stories/README.md): a story's scenario block is checked and traced
// with every line reported as a line of the .md file. See README.md.

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkScenarioText, DEFAULT_EXPLORE_LIMITS, explore, formatTrace, MODES, parseScenario, runScenario, traceToJson, type ExploreLimits, type ExploreResult, type Mode, type Scenario, type Trace } from '../src/engine/index.ts'
import { checkStory, isStoryText, parseStory, playgroundSource, storyPosition, type Story, type StoryError } from '../src/story/index.ts'

const USAGE = `usage:
  npm run scenario -- check FILE|DIR…            run each scenario and its expectations
  npm run scenario -- trace FILE [--mode M] [--json]
                                                  print every micro-step (M: ${MODES.join(', ')})
  npm run scenario -- explore FILE [--mode M] [--json] [--max-states N] [--max-depth N]
                              [--max-schedules N] [--max-seconds S] [--start anytime]
                                                  search every interleaving for a use-after-free,
                                                  leak, deadlock, failed expectation or error;
                                                  exits 1 when it finds one
  npm run scenario -- render FILE [--step N] [--mode M] [--theme T] [--base URL] [--out FILE.svg]
                                                  a static SVG of one step, linking to the live view
A FILE is a scenario (*.scenario) or a story (*.md with front matter, see stories/README.md).
A DIR is searched for *.scenario files and for stories. Markdown that is not a story (no front
matter and no \`\`\`scenario block, e.g. README.md) is skipped.`

const isStory = (file: string) => /\.md$/i.test(file)

/** A Markdown file is a story if it opens with front matter or has a ```scenario block (isStoryText). */
function looksLikeStory(file: string): boolean {
  try {
    return isStoryText(readFileSync(file, 'utf8'))
  } catch {
    return false
  }
}

function expand(paths: string[]): string[] {
  const files: string[] = []
  for (const p of paths) {
    let isDir = false
    try {
      isDir = statSync(p).isDirectory()
    } catch {
      files.push(p) // reported as unreadable below
      continue
    }
    if (!isDir) files.push(p)
    else for (const entry of readdirSync(p).sort()) {
      const full = join(p, entry)
      if (statSync(full).isDirectory()) files.push(...expand([full]))
      else if (entry.endsWith('.scenario') || (isStory(entry) && looksLikeStory(full))) files.push(full)
    }
  }
  return files
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    console.error(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    return null
  }
}

function parseMode(args: string[]): Mode | undefined | null {
  const i = args.indexOf('--mode')
  if (i < 0) return undefined
  const value = args[i + 1]
  if (!value || !(MODES as readonly string[]).includes(value)) {
    console.error(`--mode takes one of: ${MODES.join(', ')}`)
    return null
  }
  args.splice(i, 2)
  return value as Mode
}

function check(args: string[]): number {
  const mode = parseMode(args)
  if (mode === null) return 2
  const files = expand(args)
  if (!files.length) {
    console.error(`check needs at least one scenario file or folder\n${USAGE}`)
    return 2
  }
  let failed = 0
  let skipped = 0
  for (const file of files) {
    const text = read(file)
    if (text === null) {
      failed++
      continue
    }
    if (isStory(file) && !isStoryText(text)) {
      console.log(`SKIP ${file} (Markdown but not a story: no front matter and no \`\`\`scenario block)`)
      skipped++
      continue
    }
    if (isStory(file)) {
      if (!checkStoryFile(text, file, mode)) failed++
      continue
    }
    const report = checkScenarioText(text, file, mode ? { mode } : {})
    if (report.ok) {
      console.log(`PASS ${file} (${report.expectations} expectation${report.expectations === 1 ? '' : 's'}, ${report.steps} micro-steps)`)
      continue
    }
    failed++
    console.log(`FAIL ${file}`)
    for (const e of report.parseErrors) console.log(`  ${file}:${e.line}:${e.column}: syntax error: ${e.message}`)
    for (const f of report.failures) console.log(`  ${file}:${f.line}:${f.column}: ${f.message}`)
  }
  console.log(`${files.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  return failed ? 1 : 0
}

const where = (e: { file: string; line: number; column: number }) => `${e.file}:${e.line}:${e.column}`

function checkStoryFile(text: string, file: string, mode: Mode | undefined): boolean {
  const parsed = parseStory(text, file)
  let errors: readonly StoryError[]
  let summary = ''
  if (!parsed.ok) errors = parsed.errors
  else {
    const report = checkStory(parsed.story, mode ? { mode } : {})
    errors = report.errors
    const prompts = parsed.story.notes.reduce((n, note) => n + note.predict.length, 0)
    summary = `${report.expectations} expectation${report.expectations === 1 ? '' : 's'}, ${report.steps} micro-steps, ${parsed.story.notes.length} narrated statement${parsed.story.notes.length === 1 ? '' : 's'}, ${prompts} prediction${prompts === 1 ? '' : 's'}`
  }
  if (!errors.length) {
    console.log(`PASS ${file} (story: ${summary})`)
    return true
  }
  console.log(`FAIL ${file}`)
  for (const e of errors) console.log(`  ${where(e)}: ${e.message}`)
  return false
}

function trace(args: string[]): number {
  const mode = parseMode(args)
  if (mode === null) return 2
  const json = args.includes('--json')
  const rest = args.filter((a) => a !== '--json')
  if (rest.length !== 1) {
    console.error(`trace takes exactly one file\n${USAGE}`)
    return 2
  }
  const file = rest[0]!
  const text = read(file)
  if (text === null) return 2
  if (isStory(file)) return traceStory(text, file, mode, json)
  const parsed = parseScenario(text, file)
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(`${file}:${e.line}:${e.column}: syntax error: ${e.message}`)
    return 1
  }
  const t = runScenario(parsed.scenario, mode ? { mode } : {})
  if (json) process.stdout.write(JSON.stringify(traceToJson(t), null, 1) + '\n')
  else console.log(formatTrace(t))
  return t.outcome.kind === 'error' ? 1 : 0
}

const EXPLORE_LIMIT_FLAGS: Record<string, { key: keyof ExploreLimits; scale: number }> = {
  '--max-states': { key: 'maxStates', scale: 1 },
  '--max-depth': { key: 'maxDepth', scale: 1 },
  '--max-schedules': { key: 'maxSchedules', scale: 1 },
  '--max-seconds': { key: 'maxMs', scale: 1000 },
}

function exploreCommand(args: string[]): number {
  const mode = parseMode(args)
  if (mode === null) return 2
  const json = args.includes('--json')
  const limits: Record<string, number> = {}
  let threadStart: 'after-main' | 'anytime' = 'after-main'
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--json') continue
    if (a === '--start') {
      const v = args[++i]
      if (v !== 'anytime' && v !== 'after-main') {
        console.error('--start takes after-main (the default: workers start once main has run the lines above them) or anytime')
        return 2
      }
      threadStart = v
      continue
    }
    const flag = EXPLORE_LIMIT_FLAGS[a]
    if (flag) {
      const v = Number(args[++i])
      if (!Number.isFinite(v) || v <= 0) {
        console.error(`${a} takes a positive number`)
        return 2
      }
      limits[flag.key] = Math.round(v * flag.scale)
      continue
    }
    rest.push(a)
  }
  if (rest.length !== 1) {
    console.error(`explore takes exactly one file\n${USAGE}`)
    return 2
  }
  const file = rest[0]!
  const text = read(file)
  if (text === null) return 2
  let scenario: Scenario
  let fileLine = (line: number) => line
  if (isStory(file)) {
    const parsed = parseStory(text, file)
    if (!parsed.ok) {
      for (const e of parsed.errors) console.error(`${where(e)}: ${e.message}`)
      return 1
    }
    const story = parsed.story
    scenario = story.scenario
    fileLine = (line: number) => storyPosition(story, line, 1).line
  } else {
    const parsed = parseScenario(text, file)
    if (!parsed.ok) {
      for (const e of parsed.errors) console.error(`${file}:${e.line}:${e.column}: syntax error: ${e.message}`)
      return 1
    }
    scenario = parsed.scenario
  }
  const r = explore(scenario, { ...(mode ? { mode } : {}), limits, threadStart, now: () => performance.now() })
  if (!json) console.log(formatExplore(r, file, fileLine))
  else {
    const outcomes = r.outcomes.map((o) => ({ kind: o.kind, schedule: o.schedule, message: o.message, line: o.line ? fileLine(o.line) : 0, step: o.step, count: o.count }))
    const limitsUsed = { ...DEFAULT_EXPLORE_LIMITS, ...limits }
    process.stdout.write(JSON.stringify({ file, mode: r.mode, threadStart, limits: limitsUsed, limit: r.limit, transitions: r.transitions, ms: Math.round(r.ms), exhaustive: r.exhaustive, schedules: r.schedules, states: r.states, outcomes }, null, 1) + '\n')
  }
  return r.outcomes.length ? 1 : 0
}

function formatExplore(r: ExploreResult, file: string, fileLine: (line: number) => number): string {
  const out = [
    `${file} (${r.mode}): ${r.exhaustive ? 'explored every interleaving' : `stopped at the ${r.limit} limit: NOT exhaustive`}`,
    `  ${r.states.toLocaleString('en')} distinct states, ${r.schedules.toLocaleString('en')} schedules, ${r.transitions.toLocaleString('en')} micro-steps run, ${Math.round(r.ms)} ms`,
  ]
  if (!r.outcomes.length) out.push(`  no use-after-free, leak, deadlock, failed expectation or error${r.exhaustive ? ' in any interleaving' : ' found so far'}`)
  for (const o of r.outcomes) {
    out.push(`  ${o.kind}${o.line ? ` (line ${fileLine(o.line)})` : ''}: ${o.message}`)
    out.push(`    shortest schedule (${o.schedule.length} micro-steps; seen in ${o.count} state${o.count === 1 ? '' : 's'}): ${compactSchedule(o.schedule)}`)
    out.push(`    replay: schedule: ${o.schedule.join(' ')}`)
  }
  return out.join('\n')
}

/** main main T1 → main×2 T1 */
function compactSchedule(schedule: readonly string[]): string {
  const runs: string[] = []
  for (let i = 0; i < schedule.length; ) {
    let j = i
    while (j < schedule.length && schedule[j] === schedule[i]) j++
    runs.push(j - i > 1 ? `${schedule[i]}×${j - i}` : schedule[i]!)
    i = j
  }
  return runs.join(' ')
}

/** A story's trace: lines of the .md file, and the story's narration and predictions before the statement they belong to. */
function traceStory(text: string, file: string, mode: Mode | undefined, json: boolean): number {
  const parsed = parseStory(text, file)
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(`${where(e)}: ${e.message}`)
    return 1
  }
  const story = parsed.story
  const t = runScenario(story.scenario, mode ? { mode } : {})
  const fileLine = (line: number) => storyPosition(story, line, 1).line
  const firstStepOf = new Map<number, number>()
  for (const step of t.steps) if (!firstStepOf.has(step.line)) firstStepOf.set(step.line, step.index)
  const noteAt = new Map(story.notes.map((n) => [firstStepOf.get(n.scenarioLine), n]))
  if (json) {
    const steps = traceToJson(t).map((step) => {
      const note = noteAt.get(step.index)
      return {
        ...step,
        file_line: fileLine(step.line),
        ...(note ? { story_narration: note.narration, story_predict: note.predict.map((p) => ({ question: p.question, answer: p.answer })) } : {}),
      }
    })
    process.stdout.write(JSON.stringify(steps, null, 1) + '\n')
  } else {
    console.log(`story: ${story.meta.title} (${file}, mode ${t.mode}); "line" is a line of the .md file`)
    console.log(formatStoryTrace(t, fileLine, noteAt))
  }
  return t.outcome.kind === 'error' ? 1 : 0
}

function formatStoryTrace(t: Trace, fileLine: (line: number) => number, noteAt: Map<number | undefined, Story['notes'][number]>): string {
  const lines = t.notes.map((n) => `note: ${n}`)
  const pad = ' '.repeat(7)
  for (const s of t.steps) {
    const note = noteAt.get(s.index)
    if (note) {
      lines.push(`${pad}── ${note.thread}: ${note.code}`)
      for (const p of note.predict) lines.push(`${pad}   predict: ${p.question}\n${pad}   reveal:  ${p.answer}`)
      for (const para of note.narration.split('\n\n').filter(Boolean)) lines.push(`${pad}   story:   ${para}`)
    }
    lines.push(`${String(s.index).padStart(5)}  ${(t.scenario.threads[s.thread] ?? '?').padEnd(6)} line ${String(fileLine(s.line)).padEnd(3)} ${s.op.padEnd(20)} ${s.cpython.padEnd(30)} ${s.narration}`)
  }
  lines.push(`outcome: ${t.outcome.kind}: ${t.outcome.message}${t.outcome.line ? ` (line ${fileLine(t.outcome.line)})` : ''}`)
  for (const v of t.violations) lines.push(`${v.kind}: ${v.message}`)
  return lines.join('\n')
}

const RENDER_OPTIONS = new Set(['--step', '--mode', '--theme', '--base', '--out'])

/**
 * `render`: a story is rendered as its scenario (story comments removed, the story's title on
 * top), which has the same micro-steps, so --step N is the same step as in the player.
 */
async function render(args: string[]): Promise<number> {
  let i = 0
  while (i < args.length && RENDER_OPTIONS.has(args[i]!)) i += 2
  const file = args[i]
  let tmp: string | null = null
  if (file && isStory(file)) {
    const text = read(file)
    if (text === null) return 2
    const parsed = parseStory(text, file)
    if (!parsed.ok) {
      for (const e of parsed.errors) console.error(`${where(e)}: ${e.message}`)
      return 1
    }
    tmp = mkdtempSync(join(tmpdir(), 'pep703-story-'))
    const scenarioFile = join(tmp, `${parsed.story.meta.id}.scenario`)
    writeFileSync(scenarioFile, playgroundSource(parsed.story))
    args = args.map((a, k) => (k === i ? scenarioFile : a))
  }
  try {
    // Loaded on demand: it brings React and the scene, which check and trace do not need.
    const m = await import('./renderSvg.tsx')
    return await m.renderCommand(args)
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  }
}

function main(argv: string[]): number | Promise<number> {
  const [command, ...args] = argv
  switch (command) {
    case 'check':
      return check(args)
    case 'trace':
      return trace(args)
    case 'render':
      return render(args)
    case 'explore':
      return exploreCommand(args)
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE)
      return command ? 0 : 2
    default:
      console.error(`unknown command "${command}"\n${USAGE}`)
      return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
