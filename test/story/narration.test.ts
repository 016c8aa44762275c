// The narration notation: which statement each `#>` comment and `#> predict:` prompt belongs to.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commentStart, noteForLine, parseStory, type Story } from '../../src/story'

const FRONT = ['---', 'id: t', 'title: T', 'summary: S', 'order: 1', 'tags: [a]', 'pep703: [Immortalization]', 'cpython: [Py_INCREF]', 'minutes: 1', '---', ''].join('\n')

function story(block: string): Story {
  const r = parseStory(`${FRONT}\n\`\`\`scenario\n${block}\n\`\`\`\n`, 'inline.md')
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}: ${e.message}`).join('\n'))
  return r.story
}

describe('attaching narration', () => {
  const good = parseStory(readFileSync(join(import.meta.dirname, 'fixtures', 'good.md'), 'utf8'), 'good.md')
  if (!good.ok) throw new Error('good.md must parse')
  const notes = good.story.notes

  it('own-line narration belongs to the next statement; a trailing one to its line; paragraphs split at an empty #>', () => {
    expect(notes[0]).toMatchObject({
      thread: 'main',
      code: 'x = list() as L',
      narration: 'First paragraph of the narration, still the first paragraph.\n\nA second paragraph. Trailing narration joins the paragraph above.',
      predict: [],
    })
  })

  it('a # inside a string literal does not start a comment', () => {
    expect(notes[1]).toMatchObject({ code: 's = "a # not a comment"', narration: 'The # inside the string is not a comment.' })
    expect(commentStart('main: s = "a # b" # c')).toBe(18)
    expect(commentStart("main: s = 'x#y'")).toBe(-1)
  })

  it('ordinary # comments are not narration', () => {
    expect(notes.find((n) => n.code === 'y = x')).toBeUndefined()
  })

  it('a prediction above a statement belongs to it; one at the end of a line too', () => {
    const z = notes.find((n) => n.code === 'z = x')!
    expect(z.narration).toBe('')
    expect(z.predict).toEqual([{ question: 'Which field changes?', answer: 'ob_ref_local, 2 → 3.', line: 24 }])
    const pass = notes.find((n) => n.thread === 'T1')!
    expect(pass.predict).toEqual([{ question: 'Is T1 the owner?', answer: 'No, main is.', line: 27 }])
  })

  it('notes carry the scenario line that trace steps use, and the .md line', () => {
    const z = notes.find((n) => n.code === 'z = x')!
    expect(good.story.scenario.statements[z.statement]!.line).toBe(z.scenarioLine)
    expect(z.fileLine).toBe(good.story.lineOffset + z.scenarioLine)
    expect(noteForLine(good.story, z.scenarioLine)).toBe(z)
    expect(noteForLine(good.story, 1)).toBeUndefined()
  })

  it('blank lines and comments may stand between narration and its statement', () => {
    const s = story('#> about y\n\n# a plain comment\nmain: y = list()\n')
    expect(s.notes).toEqual([expect.objectContaining({ code: 'y = list()', narration: 'about y' })])
  })

  it('several prompts on one statement keep their order; "predict" is case-insensitive', () => {
    const s = story('#> Predict: one? | yes\nmain: x = list()  #> predict: two? | also yes\n')
    expect(s.notes[0]!.predict.map((p) => p.question)).toEqual(['one?', 'two?'])
  })

  it('an answer may contain a bar', () => {
    const s = story('main: x = list()  #> predict: q? | a | b\n')
    expect(s.notes[0]!.predict[0]).toMatchObject({ question: 'q?', answer: 'a | b' })
  })

  it('narration is not attached across an expect line', () => {
    const r = parseStory(`${FRONT}\n\`\`\`scenario\nmain: x = list() as L\n#> lost\nexpect L: local=1\nmain: y = x\n\`\`\`\n`, 'inline.md')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 14, message: expect.stringMatching(/no statement to attach to/) })
  })

  it('an indented fence: columns of scenario errors count the indentation back', () => {
    const r = parseStory(`${FRONT}\n  \`\`\`scenario\n  main: y = zz\n  \`\`\`\n`, 'inline.md')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 13, column: 13 })
  })
})
