// parseStory and checkStory on the fixtures: a good story, and malformed ones that must fail
// with the file, the .md line and a message that says what is wrong.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkStoryText, isStoryText, parseStory, type Story, type StoryError } from '../../src/story'

const fixtures = join(import.meta.dirname, 'fixtures')
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8')
const file = (name: string) => `test/story/fixtures/${name}`

function parsed(name: string): Story {
  const r = parseStory(read(name), file(name))
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'))
  return r.story
}
function errors(name: string): readonly StoryError[] {
  const r = parseStory(read(name), file(name))
  expect(r.ok, `${name} must not parse`).toBe(false)
  if (r.ok) return []
  for (const e of r.errors) {
    expect(e.file).toBe(file(name))
    expect(e.line).toBeGreaterThanOrEqual(1)
    expect(e.column).toBeGreaterThanOrEqual(1)
  }
  return r.errors
}

describe('a well-formed story', () => {
  const story = parsed('good.md')

  it('reads the front matter', () => {
    expect(story.meta).toEqual({
      id: 'good-story',
      title: 'A good story',
      summary: 'The smallest story that passes.',
      order: 1,
      tags: ['example'],
      pep703: ['Biased Reference Counting'],
      cpython: ['Py_INCREF'],
      minutes: 2,
      compare: [],
    })
  })

  it('splits the prose around the scenario block', () => {
    expect(story.prose.before).toBe('Some *prose* before the block.')
    expect(story.prose.after).toBe('Prose after the block.')
  })

  it('maps scenario lines to .md lines', () => {
    // The fence is on .md line 14, so scenario line N is .md line 14 + N.
    expect(story.lineOffset).toBe(14)
    const x = story.scenario.statements.find((s) => s.text.startsWith('x = list()'))!
    expect(x.line).toBe(7)
    expect(story.notes[0]!.fileLine).toBe(21)
    expect(read('good.md').split('\n')[20]).toContain('main: x = list() as L')
  })

  it('passes the checker', () => {
    const report = checkStoryText(read('good.md'), file('good.md'))
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.expectations).toBe(2)
  })

  it('keeps a display source without story comments, line for line', () => {
    expect(story.displaySource.split('\n').length).toBe(story.source.split('\n').length)
    expect(story.displaySource).not.toContain('#>')
    expect(story.displaySource).toContain('# an ordinary comment, not narration')
    expect(story.displaySource).toContain('main: s = "a # not a comment"')
  })
})

describe('malformed stories fail with file, line and message', () => {
  const cases: [string, number, RegExp][] = [
    ['bad-yaml.md', 4, /front matter: .*(flow|\])/i],
    ['missing-field.md', 9, /no "summary" field/],
    ['no-front-matter.md', 1, /starts with front matter/],
    ['no-scenario.md', 11, /no scenario block/],
    ['two-scenarios.md', 19, /exactly one scenario block; this is a second one \(the first starts at line 12\)/],
    ['narration-before-expect.md', 14, /no statement to attach to: the next line with code \(line 15\) is an expect line/],
    ['narration-on-expect.md', 14, /cannot be attached to an expect line/],
    ['bad-predict.md', 13, /"#> predict: question \| answer"/],
    ['unclosed.md', 12, /never closed/],
    ['nested.md', 14, /top level/],
  ]
  for (const [name, line, message] of cases) {
    it(`${name}: line ${line}`, () => {
      const errs = errors(name)
      const hit = errs.find((e) => message.test(e.message))
      expect(hit, `${name}: ${errs.map((e) => `${e.line}: ${e.message}`).join(' | ')}`).toBeDefined()
      expect(hit!.line).toBe(line)
    })
  }

  it('wrong types, unknown sections and unknown fields, each at its own line', () => {
    const errs = errors('wrong-type.md')
    const at = (line: number) => errs.filter((e) => e.line === line).map((e) => e.message)
    expect(at(5)).toEqual([expect.stringMatching(/"order" must be a whole number/)])
    expect(at(7)).toEqual([expect.stringMatching(/"Imortalization" is not one\. Did you mean "Immortalization"\?/)])
    expect(at(10)).toEqual([expect.stringMatching(/unknown front matter field "colour"/)])
    expect(errs).toHaveLength(3)
  })

  it('a scenario error is reported at the .md line: block start + scenario line', () => {
    // The fence is at line 14; the typo is on scenario line 3, so .md line 17, column of "xx".
    const errs = errors('scenario-syntax.md')
    expect(errs).toHaveLength(1)
    expect(errs[0]!.line).toBe(17)
    expect(read('scenario-syntax.md').split('\n')[16]).toBe('main: y = xx')
    expect(errs[0]!.column).toBe(11)
    expect(errs[0]!.message).toMatch(/^scenario: .*xx/)
  })

  it('narration with no statement after it, and on a header line', () => {
    const errs = errors('narration-at-end.md')
    expect(errs.map((e) => [e.line, e.message.replace(/:.*/, '')])).toEqual([
      [13, 'narration cannot be attached to a header line; put it on the statement it explains'],
      [16, 'this narration has no statement to attach to'],
    ])
  })
})

describe('stories that parse but fail the check', () => {
  it('a wrong expectation is reported at its .md line', () => {
    const report = checkStoryText(read('failing-expect.md'), file('failing-expect.md'))
    expect(report.ok).toBe(false)
    // Fence at line 14, expect on scenario line 3: .md line 17.
    expect(report.errors).toEqual([{ file: file('failing-expect.md'), line: 17, column: 11, message: 'L: expected local=3, actual local=2' }])
  })

  it('a story needs at least one checkpoint', () => {
    const report = checkStoryText(read('no-checkpoint.md'), file('no-checkpoint.md'))
    expect(report.ok).toBe(false)
    expect(report.errors[0]!.message).toMatch(/no checkpoint/)
  })

  it('a mode override runs the story in another mode', () => {
    const report = checkStoryText(read('good.md'), file('good.md'), { mode: 'gil' })
    expect(report.ok).toBe(false)
    expect(report.errors.some((e) => /local/.test(e.message))).toBe(true)
  })
})

describe('isStoryText', () => {
  it('tells stories from other Markdown', () => {
    expect(isStoryText(read('good.md'))).toBe(true)
    expect(isStoryText(read('no-front-matter.md'))).toBe(true) // meant to be one: fails loudly
    expect(isStoryText('# A README\n\nSome text and a code block:\n\n```\nmain: x = list()\n```\n')).toBe(false)
    expect(isStoryText('# Docs\n\n````markdown\n```scenario\nmain: pass\n```\n````\n')).toBe(false)
  })
})
