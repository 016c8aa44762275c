// The built-in stories, bundled as text by Vite. Only the app imports this module: it needs
// import.meta.glob, which Node and Vitest's node environment do not provide. Everything else uses
// buildRegistry (registry.ts) with files it reads itself.

import { buildRegistry } from './registry'

// The folder's two reference pages are not stories: leaving them out keeps ~10 KB (gzipped) of
// documentation out of the first load.
const files = import.meta.glob<string>(['../../stories/*.md', '!../../stories/README.md', '!../../stories/scenario-language.md'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** Every story in stories/*.md, keyed by path (the registry also skips any other Markdown that is not a story). */
export const storyFiles: Readonly<Record<string, string>> = files

export const registry = buildRegistry(storyFiles)
