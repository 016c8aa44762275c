// The course as the app uses it: the parsed stories with look-ups. Kept apart from the parser
// (registry.ts) so that the app, which gets the stories parsed at build time
// (scripts/storiesPlugin.ts), does not bundle the parser and its YAML library.

import type { Story, StoryError } from './types'

export interface StoryRegistry {
  /** The stories that parsed, by `order`. */
  readonly stories: readonly Story[]
  /** Why a file is missing from `stories`, or a problem between stories (duplicate id or order, file name). */
  readonly errors: readonly StoryError[]
  /** Markdown files that are not stories (no front matter, no scenario block), e.g. README.md. */
  readonly skipped: readonly string[]
  byId(id: string): Story | undefined
  /** The story after / before this one in the course. */
  next(id: string): Story | undefined
  previous(id: string): Story | undefined
}

export type StoryRegistryData = Pick<StoryRegistry, 'stories' | 'errors' | 'skipped'>

/** What the build hands the app (scripts/storiesPlugin.ts): the course without the parsed scenarios. */
export interface BundledStories {
  readonly stories: readonly Omit<Story, 'scenario'>[]
  readonly errors: readonly StoryError[]
  readonly skipped: readonly string[]
}

/** Adds the look-ups to the stories (already sorted by `order`). */
export function registryOf({ stories, errors, skipped }: StoryRegistryData): StoryRegistry {
  const index = new Map(stories.map((s, i) => [s.meta.id, i]))
  const at = (id: string, delta: number) => {
    const i = index.get(id)
    return i === undefined ? undefined : stories[i + delta]
  }
  return {
    stories,
    errors,
    skipped,
    byId: (id) => at(id, 0),
    next: (id) => at(id, 1),
    previous: (id) => at(id, -1),
  }
}
