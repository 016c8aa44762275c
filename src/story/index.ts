// Stories: stories/*.md, a guided course of scenarios with narration (format: stories/README.md).
// Pure: no DOM, no React. The app gets the bundled stories from ./bundled.

export { parseStory, isStoryText, SCENARIO_LANG } from './parse'
export { checkStory, checkStoryText, storyPosition } from './check'
export type { StoryCheckReport } from './check'
export { buildRegistry, validateStorySet, expectedFileName, displayPath } from './registry'
export type { StoryRegistry } from './registry'
export { commentStart, NARRATION_MARK } from './narration'
export { REQUIRED_FIELDS, OPTIONAL_FIELDS, ID_PATTERN } from './frontmatter'
export { PEP703_SECTIONS, PEP703_URL, pep703Anchor, pep703Link } from './pep703'
export type { Story, StoryMeta, StoryNote, StoryPrompt, StoryError, StoryParseResult } from './types'

import type { Story, StoryNote } from './types'

/** The note (narration and prompts) of the statement on this scenario line, if any. */
export function noteForLine(story: Story, scenarioLine: number): StoryNote | undefined {
  return story.notes.find((n) => n.scenarioLine === scenarioLine)
}

/**
 * The story's scenario as a stand-alone scenario for the playground or a plain view: story
 * comments removed, and a `title:` line from the front matter when the block has none.
 */
export function playgroundSource(story: Story): string {
  const body = story.displaySource.replace(/\s+$/, '') + '\n'
  const header = body.split('\n').slice(0, (story.scenario.statements[0]?.line ?? 1) - 1)
  if (header.some((l) => /^\s*title\s*:/.test(l))) return body
  return `title: ${story.meta.title}\n# From ${story.file}\n${body}`
}
