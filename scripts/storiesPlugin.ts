// Vite plugin: the built-in stories, parsed at build time. `virtual:pep703-stories` is the
// course (stories/*.md through buildRegistry) as plain data, so the app ships neither the story
// parser nor its YAML library (30 KB gzipped) and parses nothing at start-up. Used by the app,
// embed and single-file builds and by Vitest (vite.config.ts); src/story/bundled.ts wraps it.

import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { buildRegistry } from '../src/story/registry.ts'
import type { BundledStories } from '../src/story/registryOf.ts'

export const STORIES_MODULE = 'virtual:pep703-stories'
const RESOLVED = '\0' + STORIES_MODULE
const STORIES_DIR = new URL('../stories/', import.meta.url)
/** The folder's reference pages, not stories. */
const NOT_STORIES = new Set(['README.md', 'scenario-language.md'])

export function bundledStories(): Plugin {
  return {
    name: 'pep703-bundled-stories',
    resolveId(id) {
      return id === STORIES_MODULE ? RESOLVED : undefined
    },
    load(id) {
      if (id !== RESOLVED) return undefined
      const files: Record<string, string> = {}
      for (const name of readdirSync(STORIES_DIR).sort()) {
        if (!name.endsWith('.md') || NOT_STORIES.has(name)) continue
        const file = new URL(name, STORIES_DIR)
        // Editing a story in `npm start` reloads the page with it.
        this.addWatchFile(fileURLToPath(file))
        files[`../../stories/${name}`] = readFileSync(file, 'utf8')
      }
      const { stories, errors, skipped } = buildRegistry(files)
      // The scenarios are left out: the app re-parses each one from its source (a millisecond,
      // with the engine it loads anyway), which is far smaller than their syntax trees as JSON.
      const data: BundledStories = { stories: stories.map(({ scenario: _, ...rest }) => rest), errors, skipped }
      // JSON.parse of a string literal is faster for the browser than the same object literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(data))})`
    },
  }
}
