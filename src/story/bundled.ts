// The built-in stories, bundled as text by Vite. Only the app imports this module: it needs
// import.meta.glob, which Node and Vitest's node environment do not provide. Everything else uses
// buildRegistry (registry.ts) with files it reads itself.

import { buildRegistry } from './registry'

const files = import.meta.glob<string>('../../stories/*.md', { query: '?raw', import: 'default', eager: true })

/** Every stories/*.md, keyed by path (the registry skips the ones that are not stories, such as README.md). */
export const storyFiles: Readonly<Record<string, string>> = files

export const registry = buildRegistry(storyFiles)
