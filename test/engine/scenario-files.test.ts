// Every scenario file under test/scenarios goes through the same checker as
// `npm run scenario -- check`. Files under negative/ must fail, with the message their first
// line announces (`# must-fail: <fragment>`); all others must pass.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkScenarioText } from '../../src/engine'

const root = join(import.meta.dirname, '..', 'scenarios')

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry)
      if (statSync(full).isDirectory()) return scenarioFiles(full)
      return entry.endsWith('.scenario') ? [full] : []
    })
}

function render(report: ReturnType<typeof checkScenarioText>): string {
  return [
    ...report.parseErrors.map((e) => `${e.line}:${e.column}: ${e.message}`),
    ...report.failures.map((f) => `${f.line}:${f.column}: ${f.message}`),
  ].join('\n')
}

const files = scenarioFiles(root)

describe('scenario files', () => {
  it('finds the fixture folders', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  for (const file of files) {
    const name = relative(root, file)
    const text = readFileSync(file, 'utf8')
    const mustFail = /^#\s*must-fail:\s*(.+)$/m.exec(text)?.[1]?.trim()
    if (name.startsWith('negative')) {
      it(`${name} fails with "${mustFail}"`, () => {
        expect(mustFail, 'negative fixtures announce their failure with "# must-fail: …"').toBeTruthy()
        const report = checkScenarioText(text, name)
        expect(report.ok).toBe(false)
        const messages = render(report)
        expect(messages).toContain(mustFail!)
        // Every failure points at a real line and column.
        for (const e of [...report.parseErrors, ...report.failures]) {
          expect(e.line).toBeGreaterThanOrEqual(1)
          expect(e.column).toBeGreaterThanOrEqual(1)
        }
      })
    } else {
      it(`${name} passes`, () => {
        const report = checkScenarioText(text, name)
        expect(render(report)).toBe('')
        expect(report.ok).toBe(true)
        expect(report.expectations).toBeGreaterThan(0)
      })
    }
  }
})
