// Checking a story: its scenario goes through the engine's checker (checkScenarioText, the same
// one `npm run scenario -- check` and the engine tests use), with every line mapped back to the .md
// file. A story also needs at least one checkpoint (`expect` line).

import { checkScenarioText, type RunOptions, type Trace } from '../engine'
import { parseStory } from './parse'
import type { Story, StoryError } from './types'

export interface StoryCheckReport {
  readonly file: string
  readonly ok: boolean
  /** Parse errors, failed expectations, run-time errors and unannounced deadlocks, by .md line. */
  readonly errors: readonly StoryError[]
  readonly expectations: number
  readonly steps: number
  readonly story: Story | null
  readonly trace: Trace | null
}

/** The .md position of a scenario-block position. */
export function storyPosition(story: Story, line: number, column: number): { line: number; column: number } {
  return { line: story.lineOffset + line, column: column + story.fenceIndent }
}

export function checkStory(story: Story, options: RunOptions = {}): StoryCheckReport {
  const report = checkScenarioText(story.source, story.file, options)
  const errors: StoryError[] = []
  for (const e of report.parseErrors) errors.push({ file: story.file, ...storyPosition(story, e.line, e.column), message: `scenario: ${e.message}` })
  for (const f of report.failures) errors.push({ file: story.file, ...storyPosition(story, f.line, f.column), message: f.message })
  if (report.ok && report.expectations === 0) {
    errors.push({
      file: story.file,
      line: story.lineOffset,
      column: 1,
      message: 'the story has no checkpoint: add "expect" lines at its key moments so the check can tell when it stops being true',
    })
  }
  return { file: story.file, ok: errors.length === 0, errors, expectations: report.expectations, steps: report.steps, story, trace: report.trace }
}

/** Parse and check a story file's text. */
export function checkStoryText(text: string, file: string, options: RunOptions = {}): StoryCheckReport {
  const parsed = parseStory(text, file)
  if (!parsed.ok) return { file, ok: false, errors: parsed.errors, expectations: 0, steps: 0, story: null, trace: null }
  return checkStory(parsed.story, options)
}
