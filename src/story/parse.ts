// parseStory: a story file (stories/*.md) to a Story, or errors with .md lines and columns.
// Front matter with `yaml`, the Markdown structure with `marked`'s lexer, the scenario with the
// engine's parser, the narration notation with narration.ts. Never throws.

import { Lexer, type Token, type Tokens } from 'marked'
import { parseScenario } from '../engine'
import { readFrontMatter } from './frontmatter'
import { attachNarration } from './narration'
import type { StoryError, StoryParseResult } from './types'

export const SCENARIO_LANG = 'scenario'

interface Block {
  readonly token: Tokens.Code
  /** Offset of the token's raw text in the body. */
  readonly offset: number
  readonly nested: boolean
}

/** Every fenced or indented code token, top level and nested (lists, quotes), with its offset in `body`. */
function codeBlocks(tokens: readonly Token[], body: string, start: number, nested: boolean, out: Block[]) {
  let cursor = start
  for (const t of tokens) {
    // Top-level raws concatenate to the body; nested ones are found by search inside their parent.
    const found = body.indexOf(t.raw, cursor)
    const offset = found >= 0 ? found : cursor
    if (t.type === 'code') out.push({ token: t as Tokens.Code, offset, nested })
    const children = (t as { tokens?: Token[] }).tokens
    if (children?.length) codeBlocks(children, body, offset, true, out)
    const items = (t as { items?: { tokens?: Token[]; raw: string }[] }).items
    if (items) {
      let itemCursor = offset
      for (const item of items) {
        const at = body.indexOf(item.raw, itemCursor)
        const itemOffset = at >= 0 ? at : itemCursor
        if (item.tokens) codeBlocks(item.tokens, body, itemOffset, true, out)
        itemCursor = itemOffset + item.raw.length
      }
    }
    cursor = offset + t.raw.length
  }
}

function lineOf(text: string, offset: number): number {
  let n = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++
  return n
}

/**
 * Whether a Markdown file is meant to be a story: it opens with front matter, or it has a
 * top-level ```scenario block. Other Markdown beside the stories (README.md, reference pages) is
 * not; a file that is meant to be one but is malformed still is, so that it fails loudly.
 */
export function isStoryText(text: string): boolean {
  if (/^\uFEFF?---[ \t]*(\r?\n|$)/.test(text)) return true
  try {
    const blocks: Block[] = []
    codeBlocks(Lexer.lex(text.replace(/\r\n?/g, '\n')), text, 0, false, blocks)
    return blocks.some((b) => !b.nested && (b.token.lang ?? '').trim().split(/\s+/)[0] === SCENARIO_LANG)
  } catch {
    return false
  }
}

function sorted(errors: StoryError[]): StoryError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column)
}

export function parseStory(text: string, file: string): StoryParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const front = readFrontMatter(lines, file)
  const errors: StoryError[] = [...front.errors]
  if (!front.endLine) return { ok: false, errors }

  // The body: .md line (endLine + k) is body line k.
  const body = lines.slice(front.endLine).join('\n')
  const bodyLine = (offset: number) => front.endLine + lineOf(body, offset)
  let tokens: Token[]
  try {
    tokens = Lexer.lex(body)
  } catch (e) {
    errors.push({ file, line: front.endLine + 1, column: 1, message: `the Markdown could not be read: ${(e as Error).message}` })
    return { ok: false, errors }
  }
  const blocks: Block[] = []
  codeBlocks(tokens, body, 0, false, blocks)
  const scenarios = blocks.filter((b) => (b.token.lang ?? '').trim().split(/\s+/)[0] === SCENARIO_LANG)
  if (!scenarios.length) {
    errors.push({ file, line: front.endLine + 1, column: 1, message: 'the story has no scenario block: add one fenced block that starts with a line ```scenario and ends with ```' })
    return { ok: false, errors }
  }
  const first = scenarios[0]!
  const fenceLine = bodyLine(first.offset)
  const before = errors.length
  for (const extra of scenarios.slice(1)) {
    errors.push({ file, line: bodyLine(extra.offset), column: 1, message: `a story has exactly one scenario block; this is a second one (the first starts at line ${fenceLine})` })
  }
  if (first.nested) {
    errors.push({ file, line: fenceLine, column: 1, message: 'the scenario block must be at the top level of the Markdown, not inside a list or a quote' })
  }
  if (errors.length > before) return { ok: false, errors }

  // The block's lines, exactly as written (marked's `text` trims trailing blank lines).
  const rawLines = first.token.raw.replace(/\n$/, '').split('\n')
  const fence = /^( {0,3})(`{3,}|~{3,})/.exec(rawLines[0]!)
  if (!fence) {
    errors.push({ file, line: fenceLine, column: 1, message: 'the scenario block must be a fenced block (```scenario … ```), not an indented one' })
    return { ok: false, errors }
  }
  const indent = fence[1]!.length
  const marker = fence[2]!
  const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`)
  const closed = rawLines.length > 1 && closing.test(rawLines.at(-1)!)
  if (!closed) {
    errors.push({ file, line: fenceLine, column: 1, message: `the scenario block is never closed: add a line ${marker} after its last line` })
    return { ok: false, errors }
  }
  const content = rawLines.slice(1, -1).map((l) => {
    let strip = 0
    while (strip < indent && l[strip] === ' ') strip++
    return { text: l.slice(strip), strip }
  })
  const blockLines = content.map((c) => c.text)
  const source = blockLines.join('\n') + '\n'
  const toFile = (line: number, column: number) => ({ line: fenceLine + line, column: column + (content[line - 1]?.strip ?? 0) })

  const parsed = parseScenario(source, file)
  if (!parsed.ok) {
    for (const e of parsed.errors) errors.push({ file, ...toFile(e.line, e.column), message: `scenario: ${e.message}` })
    return { ok: false, errors: sorted(errors) }
  }
  const narration = attachNarration(blockLines, parsed.scenario, file, toFile)
  errors.push(...narration.errors)
  if (errors.length || !front.meta) return { ok: false, errors: sorted(errors) }

  const blockStart = first.offset
  const blockEnd = first.offset + first.token.raw.length
  return {
    ok: true,
    story: {
      file,
      meta: front.meta,
      prose: { before: body.slice(0, blockStart).trim(), after: body.slice(blockEnd).trim() },
      source,
      displaySource: narration.displayLines.join('\n') + '\n',
      lineOffset: fenceLine,
      fenceIndent: indent,
      scenario: parsed.scenario,
      notes: narration.notes,
    },
  }
}
