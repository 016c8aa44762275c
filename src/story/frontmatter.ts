// Front matter: the YAML between the first two `---` lines of a story. Parsed with `yaml`
// (eemeli/yaml), then checked field by field; every problem names the .md line of the field.

import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml'
import { MODES, suggest, type Mode } from '../engine'
import { PEP703_SECTIONS } from './pep703'
import type { StoryError, StoryMeta } from './types'

export const REQUIRED_FIELDS = ['id', 'title', 'summary', 'order', 'tags', 'pep703', 'cpython', 'minutes'] as const
export const OPTIONAL_FIELDS = ['compare'] as const
const FIELDS: readonly string[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const CPYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const FENCE = /^---[ \t]*$/

export interface FrontMatter {
  /** The validated fields, or null when there were errors. */
  readonly meta: StoryMeta | null
  readonly errors: StoryError[]
  /** The .md line of the closing `---` (0 when there is no front matter). */
  readonly endLine: number
}

/** Splits the front matter off `lines` and validates it. */
export function readFrontMatter(lines: readonly string[], file: string): FrontMatter {
  const errors: StoryError[] = []
  const fail = (line: number, column: number, message: string) => errors.push({ file, line, column, message })
  if (!FENCE.test(lines[0] ?? '')) {
    fail(1, 1, 'a story starts with front matter: a line "---", the fields (id, title, summary, order, tags, pep703, cpython, minutes) and another "---"')
    return { meta: null, errors, endLine: 0 }
  }
  let end = 1
  while (end < lines.length && !FENCE.test(lines[end]!)) end++
  if (end >= lines.length) {
    fail(1, 1, 'the front matter is never closed: add a line "---" after its last field')
    return { meta: null, errors, endLine: 0 }
  }
  const endLine = end + 1
  // YAML line k is .md line k + 1.
  const lineCounter = new LineCounter()
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset)
    return { line: p.line + 1, column: p.col }
  }
  for (const e of doc.errors) {
    const p = at(e.pos[0])
    fail(p.line, p.column, `front matter: ${e.message}`)
  }
  if (errors.length) return { meta: null, errors, endLine }
  if (!isMap(doc.contents)) {
    fail(2, 1, 'the front matter must be a list of "field: value" lines')
    return { meta: null, errors, endLine }
  }

  const values = new Map<string, { node: Node; line: number; column: number }>()
  for (const pair of doc.contents.items) {
    const key = pair.key as Node | null
    const keyPos = key?.range ? at(key.range[0]) : { line: 2, column: 1 }
    if (!isScalar(key) || typeof key.value !== 'string') {
      fail(keyPos.line, keyPos.column, 'front matter: a field name must be a plain word')
      continue
    }
    if (!FIELDS.includes(key.value)) {
      fail(keyPos.line, keyPos.column, `unknown front matter field "${key.value}".${suggest(key.value, FIELDS)} Fields: ${FIELDS.join(', ')}`)
      continue
    }
    const value = pair.value as Node | null
    const pos = value?.range ? at(value.range[0]) : keyPos
    if (!value) {
      fail(keyPos.line, keyPos.column, `front matter field "${key.value}" has no value`)
      continue
    }
    values.set(key.value, { node: value, ...pos })
  }
  for (const name of REQUIRED_FIELDS) {
    if (!values.has(name)) fail(endLine, 1, `the front matter has no "${name}" field (required: ${REQUIRED_FIELDS.join(', ')})`)
  }

  const get = (name: string) => values.get(name)
  const wrong = (name: string, what: string) => {
    const v = get(name)!
    fail(v.line, v.column, `front matter field "${name}" must be ${what}`)
  }
  const js = (name: string): unknown => get(name)?.node.toJSON()

  const text = (name: string): string => {
    if (!get(name)) return ''
    const v = js(name)
    if (typeof v !== 'string' || !v.trim()) {
      wrong(name, 'a non-empty string')
      return ''
    }
    if (v.trim().includes('\n')) {
      wrong(name, 'one line')
      return ''
    }
    return v.trim()
  }
  const list = (name: string, check: (item: string) => string | null): string[] => {
    if (!get(name)) return []
    const v = js(name)
    if (!Array.isArray(v) || !v.length) {
      wrong(name, 'a non-empty list, e.g. [a, b] or one "- item" per line')
      return []
    }
    const out: string[] = []
    for (const item of v) {
      if (typeof item !== 'string' || !item.trim()) {
        wrong(name, `a list of non-empty strings (found ${JSON.stringify(item)})`)
        continue
      }
      const problem = check(item.trim())
      if (problem) wrong(name, problem)
      else out.push(item.trim())
    }
    return out
  }
  const number = (name: string, integer: boolean, min: number, max: number): number => {
    if (!get(name)) return 0
    const v = js(name)
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
      wrong(name, `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`)
      return 0
    }
    return v
  }

  const id = text('id')
  if (id && !ID_PATTERN.test(id)) wrong('id', `lower-case words joined by hyphens, like "biased-counting" (found "${id}")`)
  const meta: StoryMeta = {
    id,
    title: text('title'),
    summary: text('summary'),
    order: number('order', true, 1, 999),
    minutes: number('minutes', false, 1, 60),
    tags: list('tags', () => null),
    pep703: list('pep703', (s) =>
      (PEP703_SECTIONS as readonly string[]).includes(s)
        ? null
        : `a list of PEP 703 section titles, spelled as in the PEP; "${s}" is not one.${suggest(s, PEP703_SECTIONS)} (src/story/pep703.ts lists them)`,
    ),
    cpython: list('cpython', (s) => (CPYTHON_NAME.test(s) ? null : `a list of CPython function or macro names such as _Py_DecRefShared (found "${s}")`)),
    compare: get('compare')
      ? (list('compare', (s) => ((MODES as readonly string[]).includes(s) ? null : `a list of modes (${MODES.join(', ')}); "${s}" is not one.${suggest(s, MODES)}`)) as Mode[])
      : [],
  }
  return { meta: errors.length ? null : meta, errors, endLine }
}
