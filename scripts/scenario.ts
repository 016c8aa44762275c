// Command line for scenarios: `npm run scenario -- check FILE…` and
// `npm run scenario -- trace FILE [--mode M] [--json]`. See README.md.

import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { checkScenarioText, formatTrace, MODES, parseScenario, runScenario, traceToJson, type Mode } from '../src/engine/index.ts'

const USAGE = `usage:
  npm run scenario -- check FILE|DIR…            run each scenario and its expectations
  npm run scenario -- trace FILE [--mode M] [--json]
                                                  print every micro-step (M: ${MODES.join(', ')})`

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
      else if (entry.endsWith('.scenario')) files.push(full)
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
  for (const file of files) {
    const text = read(file)
    if (text === null) {
      failed++
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
  console.log(`${files.length - failed} passed, ${failed} failed`)
  return failed ? 1 : 0
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

function main(argv: string[]): number {
  const [command, ...args] = argv
  switch (command) {
    case 'check':
      return check(args)
    case 'trace':
      return trace(args)
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

process.exitCode = main(process.argv.slice(2))
