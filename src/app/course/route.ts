// Which page a URL shows: the course (no story= and no #scenario=), a Markdown story beside the
// player (story=<id> of stories/*.md), a story that does not parse (its errors), or the player
// alone (an example of stories/examples/, an edited scenario, a story's plain view with plain=1,
// or a link that cannot be replayed). Markdown stories take precedence over examples with the
// same id; the course's ids and the examples' never collide (test/ui/course.test.tsx checks it).

import type { Story, StoryError, StoryRegistry } from '../../story'
import { playgroundSource } from '../../story'
import type { ScenarioSource } from '../../store/explorerStore'
import type { BuiltinScenario } from '../scenarios'
import type { ParsedUrl } from '../url'

export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'story'; readonly story: Story }
  | { readonly kind: 'story-error'; readonly id: string; readonly errors: readonly StoryError[] }
  | { readonly kind: 'player'; readonly plain: Story | null }

/** The query parameter of a story's plain view (the scenario without the prose). */
export const PLAIN_PARAM = 'plain'

/** `stories/05-queued-merge.md` -> `05-queued-merge`. */
export function fileStem(file: string): string {
  return file.replace(/\\/g, '/').replace(/^.*\//, '').replace(/\.md$/i, '')
}

/** The story id a file name promises: `05-queued-merge.md` -> `queued-merge`. */
export function fileId(file: string): string {
  return fileStem(file).replace(/^\d+-/, '')
}

/** The story named `id`: by its front-matter id, or by its file name when no example has that id. */
export function findStory(registry: StoryRegistry, id: string, examples: readonly BuiltinScenario[]): Story | undefined {
  return registry.byId(id) ?? (examples.some((e) => e.id === id) ? undefined : registry.stories.find((s) => fileStem(s.file) === id))
}

/** The problems that keep the story `id` (or the file it would be in) from being shown. */
export function storyErrors(registry: StoryRegistry, id: string, examples: readonly BuiltinScenario[]): StoryError[] {
  const story = findStory(registry, id, examples)
  if (!story && examples.some((e) => e.id === id)) return []
  return registry.errors.filter((e) => (story ? e.file === story.file : fileId(e.file) === id || fileStem(e.file) === id))
}

/** The files that did not parse, each with its errors, for the course page. */
export function brokenFiles(registry: StoryRegistry): { readonly file: string; readonly id: string; readonly errors: readonly StoryError[] }[] {
  const byFile = new Map<string, StoryError[]>()
  for (const e of registry.errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e])
  return [...byFile].map(([file, errors]) => {
    const story = registry.stories.find((s) => s.file === file)
    return { file, id: story?.meta.id ?? fileId(file), errors }
  })
}

export function routeFor(parsed: ParsedUrl, search: string, registry: StoryRegistry, examples: readonly BuiltinScenario[]): Route {
  const { view, problems } = parsed
  if (problems.some((p) => p.kind === 'version' || p.kind === 'fragment') || view.scenarioText !== null) {
    return { kind: 'player', plain: null }
  }
  if (view.story === null) return { kind: 'home' }
  const errors = storyErrors(registry, view.story, examples)
  if (errors.length) return { kind: 'story-error', id: view.story, errors }
  const story = findStory(registry, view.story, examples)
  if (!story) return { kind: 'player', plain: null }
  const plain = new URLSearchParams(search).get(PLAIN_PARAM)
  if (plain === '1' || plain === 'true') return { kind: 'player', plain: story }
  return { kind: 'story', story }
}

/** A story's scenario as the player loads it beside the prose (story comments removed, same lines). */
export function storySource(story: Story): ScenarioSource {
  return { id: story.meta.id, file: story.file, text: story.displaySource }
}

/** A story's scenario for the plain view: stand-alone, with the story's title. */
export function plainSource(story: Story): BuiltinScenario {
  return { id: story.meta.id, file: story.file, text: playgroundSource(story) }
}
