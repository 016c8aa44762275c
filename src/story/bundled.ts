// The built-in stories, parsed at build time (scripts/storiesPlugin.ts): the app gets plain data
// and neither parses Markdown front matter nor ships the YAML library. Only code built by Vite
// (the app, the embed, Vitest) can import this module; Node scripts use buildRegistry
// (registry.ts) with files they read themselves.

import bundled from 'virtual:pep703-stories'
import { parseScenario } from '../engine'
import { registryOf, type BundledStories } from './registryOf'
import type { Story } from './types'

const data = bundled as BundledStories

/** Each story's scenario, parsed again from its source: the build checked that it parses. */
const stories: Story[] = data.stories.map((story) => {
  const parsed = parseScenario(story.source, story.file)
  if (!parsed.ok) throw new Error(`${story.file}: the bundled scenario does not parse: ${parsed.errors[0]!.message}`)
  return { ...story, scenario: parsed.scenario }
})

export const registry = registryOf({ stories, errors: data.errors, skipped: data.skipped })
