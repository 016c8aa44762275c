// The command line, run as a user would: exit codes and output of check and trace.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenario.ts'), ...args], { cwd: root, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const dir = mkdtempSync(join(tmpdir(), 'pep703-cli-'))
function file(name: string, text: string) {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

const good = file('good.scenario', 'main: x = list() as L\nmain: y = x\nexpect L: local=2\n')
const wrong = file('wrong.scenario', 'main: x = list() as L\nmain: y = x\nexpect L: local=3\n')
const syntax = file('syntax.scenario', 'main: x = list(\n')
const deadlock = file(
  'deadlock.scenario',
  'threads: main, T1\nmain: a = list()\nmain: b = list()\nmain: G.a = a\nmain: G.b = b\nT1: a = G.a\nT1: b = G.b\nmain: PyMutex_Lock(a)\nT1: PyMutex_Lock(b)\nmain: PyMutex_Lock(b)\nT1: PyMutex_Lock(a)\n',
)

describe('npm run scenario -- check', { timeout: 30_000 }, () => {
  it('passes a correct file and exits 0', () => {
    const r = cli('check', good)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^PASS .*good\.scenario \(1 expectation, \d+ micro-steps\)$/m)
  })

  it('fails a wrong expectation, an unannounced deadlock and a syntax error, each at its line and column', () => {
    const r = cli('check', good, wrong, deadlock, syntax)
    expect(r.code).toBe(1)
    expect(r.out).toContain('wrong.scenario:3:11: L: expected local=3, actual local=2')
    expect(r.out).toMatch(/deadlock\.scenario:11:1: unannounced deadlock: .*main .*held by T1/)
    expect(r.out).toMatch(/syntax\.scenario:1:\d+: syntax error: /)
    expect(r.out).toContain('1 passed, 3 failed')
  })

  it('explains bad usage and unreadable files', () => {
    expect(cli('check').code).toBe(2)
    expect(cli('frobnicate').err).toContain('unknown command')
    const r = cli('check', join(dir, 'missing.scenario'))
    expect(r.code).toBe(1)
    expect(r.err).toContain('cannot read the file (ENOENT)')
  })
})

describe('npm run scenario -- trace', { timeout: 30_000 }, () => {
  it('prints one readable line per micro-step', () => {
    const r = cli('trace', good)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/main\s+line 2\s+incref\.local\s+Py_INCREF/)
    expect(r.out).toContain('outcome: finished')
  })

  it('prints the JSON trace of the contract, in any mode', () => {
    const r = cli('trace', good, '--json', '--mode', 'atomic')
    expect(r.code).toBe(0)
    const steps = JSON.parse(r.out) as Record<string, unknown>[]
    expect(steps.length).toBeGreaterThan(1)
    for (const key of ['index', 'thread', 'line', 'statement', 'op', 'cpython', 'narration', 'objects', 'threads']) expect(steps[0]).toHaveProperty(key)
    const last = steps.at(-1) as { objects: { label: string; refcount: number }[]; op: string }
    expect(last.op).toBe('incref.atomic')
    expect(last.objects.find((o) => o.label === 'L')!.refcount).toBe(2)
  })

  it('rejects an unknown mode', () => {
    const r = cli('trace', good, '--mode', 'nogil')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--mode takes one of')
  })
})

describe('npm run scenario -- explore', { timeout: 30_000 }, () => {
  const race = file('race.scenario', 'threads: main, T1\nmain: x = object() as O\nmain: G.x = x\nT1: y = G.x\nT1: del y\nmain: del x\n')

  it('ends its JSON with exhaustive, schedules, states and outcomes, and a schedule that replays', () => {
    const r = cli('explore', race, '--mode', 'unsafe', '--json')
    expect(r.code).toBe(1) // something went wrong in some interleaving
    const json = JSON.parse(r.out) as { exhaustive: boolean; schedules: number; states: number; outcomes: { kind: string; schedule: string[] }[] }
    expect(Object.keys(json).slice(-4)).toEqual(['exhaustive', 'schedules', 'states', 'outcomes'])
    expect(json.exhaustive).toBe(true)
    expect(json.states).toBeGreaterThan(10)
    const uaf = json.outcomes.find((o) => o.kind === 'use-after-free')!
    expect(uaf.schedule.every((t) => t === 'main' || t === 'T1')).toBe(true)
    // The schedule, pasted into the file, reproduces the use-after-free under trace.
    const replay = file('replay.scenario', `threads: main, T1\nmode: unsafe\nschedule: ${uaf.schedule.join(' ')}\n` + 'main: x = object() as O\nmain: G.x = x\nT1: y = G.x\nT1: del y\nmain: del x\n')
    expect(cli('trace', replay).out).toMatch(/use-after-free: O is freed by T1 while 1 reference to it still exists/)
  })

  it('finds nothing in free-threaded mode and says so in words, exit 0', () => {
    const r = cli('explore', race)
    expect(r.code).toBe(0)
    expect(r.out).toContain('explored every interleaving')
    expect(r.out).toContain('no use-after-free, leak, deadlock, failed expectation or error in any interleaving')
  })

  it('finds the deadlock of naive locks, and reports a limit it hit', () => {
    expect(cli('explore', deadlock).out).toMatch(/deadlock \(line \d+\): every unfinished thread is blocked/)
    const r = cli('explore', deadlock, '--max-states', '5', '--json')
    const json = JSON.parse(r.out) as { exhaustive: boolean; limit: string }
    expect(json.exhaustive).toBe(false)
    expect(json.limit).toBe('states')
    expect(cli('explore', deadlock, '--max-states', 'lots').code).toBe(2)
  })
})
