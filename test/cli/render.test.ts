// `npm run scenario -- render`: a static SVG of one step, run as a user would.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenario.ts'), ...args], { cwd: root, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}
const dir = mkdtempSync(join(tmpdir(), 'pep703-render-'))
const story = join(root, 'stories/examples/03-queued-then-merged.scenario')

describe('npm run scenario -- render', { timeout: 60_000 }, () => {
  it('writes the scene of a step as a self-contained SVG with a link back to the live view', () => {
    const out = join(dir, 'step.svg')
    const r = cli('render', story, '--step', '12', '--out', out, '--base', 'https://docs.example.org/explorer/')
    expect(r.code, r.err).toBe(0)
    expect(r.err).toContain('step 12 of 23')
    const svg = readFileSync(out, 'utf8')
    expect(svg.startsWith('<?xml')).toBe(true)
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"')
    // The same picture as the app: the scene component's own SVG, its stylesheet and theme inside.
    expect(svg).toContain('<svg class="scene-svg"')
    expect(svg).toContain('<style>')
    expect(svg).toContain("[data-theme='light']")
    expect(svg).toContain('.scene .tc-0')
    expect(svg).toContain('G · module-dict')
    expect(svg).toContain('Threads and objects after step 12')
    expect(svg).toContain('href="https://docs.example.org/explorer/?v=1&amp;story=03-queued-then-merged&amp;step=12"')
    expect(svg).not.toMatch(/<script|\son[a-z]+=/i)
  })

  it('links a scenario outside the examples by its text, and clamps a step past the end', () => {
    const file = join(dir, 'mine.scenario')
    const text = 'main: x = list() as L\nmain: y = x\n'
    writeFileSync(file, text)
    const r = cli('render', file, '--step', '99', '--mode', 'gil', '--theme', 'dark')
    expect(r.code, r.err).toBe(0)
    expect(r.err).toContain('past the end')
    expect(r.out).toContain('data-theme="dark"')
    expect(r.out).toContain(`#scenario=${Buffer.from(text).toString('base64url')}`)
    expect(r.out).toContain('mode=gil')
  })

  it('explains bad arguments and unparsable files', () => {
    expect(cli('render').code).toBe(2)
    expect(cli('render', story, '--step', 'x').code).toBe(2)
    expect(cli('render', story, '--mode', 'warp').code).toBe(2)
    expect(cli('render', story, '--theme', 'pink').code).toBe(2)
    const bad = join(dir, 'bad.scenario')
    writeFileSync(bad, 'main: x = list(\n')
    const r = cli('render', bad)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/bad\.scenario:1:\d+/)
  })
})
