// Story comments inside the scenario block: `#> narration` and `#> predict: question | answer`.
// To the engine they are ordinary `#` comments; here they are attached to statements:
//   - at the end of a statement line, to that statement;
//   - on lines of their own, to the next statement line below them (only blank lines and other
//     comments may come between).
// See stories/README.md for the notation as authors use it.

import { commentStart, type Scenario } from '../engine'
import type { StoryError, StoryNote, StoryPrompt } from './types'

export const NARRATION_MARK = '#>'
const PREDICT = /^predict\s*:/i

/** Where a comment starts, exactly as the engine reads it. */
export { commentStart }

interface Piece {
  readonly kind: 'text' | 'predict'
  readonly text: string
  readonly answer: string
  /** Block line (1-based) and column of the `#>`. */
  readonly line: number
  readonly column: number
}

interface Pending {
  texts: Piece[]
  prompts: Piece[]
}

export interface NarrationResult {
  readonly notes: StoryNote[]
  readonly errors: StoryError[]
  /** The block with every story comment removed (same lines). */
  readonly displayLines: string[]
}

/** Joins narration pieces: consecutive lines form a paragraph; an empty `#>` line starts a new one. */
function joinTexts(pieces: readonly Piece[]): string {
  const paragraphs: string[][] = [[]]
  for (const p of pieces) {
    if (!p.text) {
      if (paragraphs.at(-1)!.length) paragraphs.push([])
    } else paragraphs.at(-1)!.push(p.text)
  }
  return paragraphs
    .filter((p) => p.length)
    .map((p) => p.join(' '))
    .join('\n\n')
}

/**
 * Finds the story comments of a parsed scenario block and attaches them to statements.
 * `toFile(blockLine, column)` maps a block position to the .md file.
 */
export function attachNarration(
  lines: readonly string[],
  scenario: Scenario,
  file: string,
  toFile: (line: number, column: number) => { line: number; column: number },
): NarrationResult {
  const errors: StoryError[] = []
  const fail = (line: number, column: number, message: string) => errors.push({ file, ...toFile(line, column), message })
  const statementAt = new Map(scenario.statements.map((s) => [s.line, s]))
  const expectLines = new Set(scenario.expectations.map((e) => e.line))
  const notes = new Map<number, { texts: Piece[]; prompts: Piece[] }>()
  const displayLines: string[] = []
  let pending: Pending | null = null
  let pendingLine = 0

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1
    const raw = lines[i]!
    const hash = commentStart(raw)
    const code = (hash < 0 ? raw : raw.slice(0, hash)).trim()
    const isStory = hash >= 0 && raw.startsWith(NARRATION_MARK, hash)
    displayLines.push(isStory ? raw.slice(0, hash).trimEnd() : raw)

    let piece: Piece | null = null
    if (isStory) {
      const body = raw.slice(hash + NARRATION_MARK.length).trim()
      const column = hash + 1
      if (PREDICT.test(body)) {
        const rest = body.replace(PREDICT, '')
        const bar = rest.indexOf('|')
        const question = (bar < 0 ? rest : rest.slice(0, bar)).trim()
        const answer = bar < 0 ? '' : rest.slice(bar + 1).trim()
        if (bar < 0 || !question || !answer) {
          fail(n, column, 'a prediction is written "#> predict: question | answer", with both parts')
        } else {
          piece = { kind: 'predict', text: question, answer, line: n, column }
        }
      } else {
        piece = { kind: 'text', text: body, answer: '', line: n, column }
      }
    }

    if (!code) {
      // A comment-only or blank line: story comments wait for the next statement.
      if (piece) {
        if (!pending) {
          pending = { texts: [], prompts: [] }
          pendingLine = n
        }
        if (piece.kind === 'predict') pending.prompts.push(piece)
        else pending.texts.push(piece)
      }
      continue
    }

    const statement = statementAt.get(n)
    if (!statement) {
      const what = expectLines.has(n) ? 'an expect line (a checkpoint)' : 'a header line'
      if (pending) {
        fail(pendingLine, 1, `this narration has no statement to attach to: the next line with code (line ${toFile(n, 1).line}) is ${what}. Story comments ("#>") belong to statements: put them above or after a "THREAD: statement" line`)
        pending = null
      }
      if (piece) fail(n, piece.column, `narration cannot be attached to ${what}; put it on the statement it explains`)
      continue
    }

    const note = notes.get(statement.index) ?? { texts: [], prompts: [] }
    if (pending) {
      note.texts.push(...pending.texts)
      note.prompts.push(...pending.prompts)
      pending = null
    }
    if (piece) {
      if (piece.kind === 'predict') note.prompts.push(piece)
      else note.texts.push(piece)
    }
    if (note.texts.length || note.prompts.length) notes.set(statement.index, note)
  }
  if (pending) fail(pendingLine, 1, 'this narration has no statement to attach to: no statement follows it in the scenario block')

  const result: StoryNote[] = []
  for (const s of scenario.statements) {
    const note = notes.get(s.index)
    if (!note) continue
    result.push({
      statement: s.index,
      scenarioLine: s.line,
      fileLine: toFile(s.line, 1).line,
      thread: scenario.threads[s.thread] ?? '?',
      code: s.text,
      narration: joinTexts(note.texts),
      predict: note.prompts.map((p): StoryPrompt => ({ question: p.text, answer: p.answer, line: toFile(p.line, 1).line })),
    })
  }
  return { notes: result, errors, displayLines }
}
