// The parsed form of a story (stories/*.md; the format is documented in stories/README.md).
// Pure data: no DOM, no React. Line numbers are 1-based lines of the .md file unless a name says
// `scenarioLine` (a line of the scenario block, as the engine numbers it).

import type { Mode, Scenario } from '../engine'

/** A problem with a story: the file, where in it (1-based line and column of the .md file), what. */
export interface StoryError {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

/** The front matter, validated. */
export interface StoryMeta {
  /** Kebab-case, unique across stories; the file is named `NN-<id>.md`. */
  readonly id: string
  readonly title: string
  /** One line for the course list. */
  readonly summary: string
  /** Position in the course (1, 2, …), unique across stories. */
  readonly order: number
  readonly tags: readonly string[]
  /** PEP 703 section titles, exactly as in the PEP (see pep703.ts). */
  readonly pep703: readonly string[]
  /** CPython functions and macros the story shows (e.g. `_Py_DecRefShared`). */
  readonly cpython: readonly string[]
  /** Estimated reading and playing time. */
  readonly minutes: number
  /** Optional: modes the player should offer side by side with the story's own mode. */
  readonly compare: readonly Mode[]
}

/** "Predict, then reveal": asked before its statement runs, answered after it has run. */
export interface StoryPrompt {
  readonly question: string
  readonly answer: string
  /** The .md line the prompt is written on. */
  readonly line: number
}

/** What the story says about one statement of its scenario. */
export interface StoryNote {
  /** Index into `scenario.statements`. */
  readonly statement: number
  /** The statement's line in the scenario block (what trace steps carry as `line`). */
  readonly scenarioLine: number
  /** The statement's line in the .md file. */
  readonly fileLine: number
  readonly thread: string
  /** The statement as written, without the thread prefix and comment. */
  readonly code: string
  /** Narration (inline Markdown); paragraphs separated by a blank line. Empty when there is none. */
  readonly narration: string
  readonly predict: readonly StoryPrompt[]
}

export interface Story {
  readonly file: string
  readonly meta: StoryMeta
  /** Markdown prose before and after the scenario block. */
  readonly prose: { readonly before: string; readonly after: string }
  /** The scenario block as written (what the engine parses); scenario line N is .md line `lineOffset + N`. */
  readonly source: string
  /** The same block with the story comments (`#>`) removed; same line count, for a code view. */
  readonly displaySource: string
  readonly lineOffset: number
  /** Spaces before the opening fence (0–3): stripped from each block line, added back to columns. */
  readonly fenceIndent: number
  readonly scenario: Scenario
  /** One per statement that has narration or a prompt, in file order. */
  readonly notes: readonly StoryNote[]
}

export type StoryParseResult = { readonly ok: true; readonly story: Story } | { readonly ok: false; readonly errors: readonly StoryError[] }
