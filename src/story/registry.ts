// The course: every story, in order, plus the problems that kept a story out of it. Pure: the
// caller hands in the files' text (the build does it for the app, scripts/storiesPlugin.ts;
// tests and scripts read the files themselves).

import { isStoryText, parseStory } from './parse'
import { registryOf, type StoryRegistry } from './registryOf'
import type { Story, StoryError } from './types'

export type { StoryRegistry } from './registryOf'

/** `../../stories/01-gil.md` -> `stories/01-gil.md`. */
export function displayPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\.?\/)+/, '')
}

/** The file name a story should have: `NN-<id>.md`, NN its order with at least two digits. */
export function expectedFileName(story: Story): string {
  return `${String(story.meta.order).padStart(2, '0')}-${story.meta.id}.md`
}

/** Problems between stories: duplicate ids or orders, and file names that do not follow `NN-<id>.md`. */
export function validateStorySet(stories: readonly Story[]): StoryError[] {
  const errors: StoryError[] = []
  const ids = new Map<string, Story>()
  const orders = new Map<number, Story>()
  for (const s of stories) {
    const name = s.file.replace(/\\/g, '/').replace(/^.*\//, '')
    if (name !== expectedFileName(s)) {
      errors.push({ file: s.file, line: 1, column: 1, message: `a story with order ${s.meta.order} and id "${s.meta.id}" is named ${expectedFileName(s)} (this file is ${name})` })
    }
    const sameId = ids.get(s.meta.id)
    if (sameId) errors.push({ file: s.file, line: 1, column: 1, message: `the id "${s.meta.id}" is already used by ${sameId.file}` })
    else ids.set(s.meta.id, s)
    const sameOrder = orders.get(s.meta.order)
    if (sameOrder) errors.push({ file: s.file, line: 1, column: 1, message: `order ${s.meta.order} is already used by ${sameOrder.file}` })
    else orders.set(s.meta.order, s)
  }
  return errors
}

export function buildRegistry(files: Readonly<Record<string, string>>): StoryRegistry {
  const stories: Story[] = []
  const errors: StoryError[] = []
  const skipped: string[] = []
  for (const path of Object.keys(files).sort()) {
    if (!isStoryText(files[path]!)) {
      skipped.push(displayPath(path))
      continue
    }
    const result = parseStory(files[path]!, displayPath(path))
    if (result.ok) stories.push(result.story)
    else errors.push(...result.errors)
  }
  stories.sort((a, b) => a.meta.order - b.meta.order || a.file.localeCompare(b.file))
  errors.push(...validateStorySet(stories))
  return registryOf({ stories, errors, skipped })
}
