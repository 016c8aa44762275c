// `npm run scenario` with story files, run as an author would: exit codes, PASS/FAIL lines with
// .md line numbers, story traces with narration.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const fixtures = join(import.meta.dirname, 'fixtures')
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenario.ts'), ...args], { cwd: root, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('npm run scenario -- check with stories', { timeout: 60_000 }, () => {
  it('`npm run scenario -- check stories/01-*.md` passes', () => {
    const r = spawnSync('sh', ['-c', 'npm run --silent scenario -- check stories/01-*.md'], { cwd: root, encoding: 'utf8' })
    expect(r.stdout).toMatch(/^PASS stories\/01-why-the-gil\.md \(story: \d+ expectations, \d+ micro-steps, \d+ narrated statements, \d+ predictions\)$/m)
    expect(r.stdout).toContain('1 passed, 0 failed')
    expect(r.status).toBe(0)
  })

  it('a broken story fails with its file, .md line and message; a good one passes beside it', () => {
    const r = cli('check', join(fixtures, 'good.md'), join(fixtures, 'failing-expect.md'), join(fixtures, 'scenario-syntax.md'), join(fixtures, 'missing-field.md'))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^PASS .*good\.md \(story: 2 expectations/m)
    expect(r.out).toContain('failing-expect.md:17:11: L: expected local=3, actual local=2')
    expect(r.out).toMatch(/scenario-syntax\.md:17:11: scenario: "xx" is not bound/)
    expect(r.out).toMatch(/missing-field\.md:9:1: the front matter has no "summary" field/)
    expect(r.out).toContain('1 passed, 3 failed')
  })

  it('a folder picks up stories next to scenarios and skips other Markdown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pep703-stories-'))
    mkdirSync(join(dir, 'sub'))
    copyFileSync(join(fixtures, 'good.md'), join(dir, 'good.md'))
    copyFileSync(join(fixtures, 'no-front-matter.md'), join(dir, 'sub', 'meant-as-story.md'))
    writeFileSync(join(dir, 'README.md'), '# Notes\n\nNot a story.\n')
    writeFileSync(join(dir, 'plain.scenario'), 'main: x = list() as L\nexpect L: local=1\n')
    const r = cli('check', dir)
    expect(r.out).toMatch(/^PASS .*good\.md/m)
    expect(r.out).toMatch(/^PASS .*plain\.scenario/m)
    expect(r.out).toMatch(/meant-as-story\.md:1:1: a story starts with front matter/)
    expect(r.out).not.toContain('README.md')
    expect(r.out).toContain('2 passed, 1 failed')
    expect(r.code).toBe(1)
  })

  it('names a non-story Markdown file as skipped, not failed', () => {
    const r = cli('check', join(root, 'stories', 'scenario-language.md'), join(fixtures, 'good.md'))
    expect(r.out).toMatch(/^SKIP .*scenario-language\.md/m)
    expect(r.out).toContain('1 passed, 0 failed, 1 skipped')
    expect(r.code).toBe(0)
  })

})

describe('npm run scenario -- trace with a story', { timeout: 60_000 }, () => {
  it('prints the narration and predictions before their statement, with .md lines', () => {
    const r = cli('trace', 'stories/06-owner-lets-go.md')
    expect(r.code).toBe(0)
    expect(r.out).toContain('"line" is a line of the .md file')
    const lines = r.out.split('\n')
    const predict = lines.findIndex((l) => l.includes('predict: T1 drops the last reference'))
    expect(predict).toBeGreaterThan(0)
    expect(lines[predict + 1]).toMatch(/reveal: +T1 does/)
    const md = readFileSync(join(root, 'stories', '06-owner-lets-go.md'), 'utf8').split('\n')
    const delY = md.findIndex((l) => l.startsWith('T1:   del y')) + 1
    expect(lines.slice(predict).find((l) => /^\s+\d+\s+T1/.test(l))).toContain(`line ${delY} `)
  })

  it('the JSON trace adds the .md line and the story notes', () => {
    const r = cli('trace', 'stories/03-biased-counting.md', '--json')
    expect(r.code).toBe(0)
    const steps = JSON.parse(r.out) as { line: number; file_line: number; story_predict?: { question: string }[] }[]
    expect(steps[0]!.file_line).toBeGreaterThan(steps[0]!.line)
    expect(steps.filter((s) => s.story_predict?.length)).toHaveLength(2)
  })

  it('a malformed story stops with its line', () => {
    const r = cli('trace', join(fixtures, 'narration-on-expect.md'))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/narration-on-expect\.md:14:23: narration cannot be attached to an expect line/)
  })

  it('render draws a story step as an SVG, with the story title and the same step count as trace', () => {
    const r = cli('render', '--step', '3', 'stories/03-biased-counting.md')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/<title id="pep703-title">Biased reference counting: the owner's fast path, step 3 of 7<\/title>/)
    const bad = cli('render', join(fixtures, 'bad-predict.md'))
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/bad-predict\.md:13:25: a prediction is written/)
  })
})
