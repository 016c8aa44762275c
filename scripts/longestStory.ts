// The longest built-in story (the most micro-steps in its own mode): what the soak loops and the
// performance report plays.

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { runScenario } from '../src/engine/index.ts'
import { parseStory } from '../src/story/index.ts'
import { ROOT } from '../test/e2e/harness.ts'

export function longestStory(): { id: string; steps: number } {
  let best = { id: '', steps: -1 }
  for (const file of readdirSync(path.join(ROOT, 'stories')).filter((f) => /^\d.*\.md$/.test(f))) {
    const r = parseStory(readFileSync(path.join(ROOT, 'stories', file), 'utf8'), file)
    if (!r.ok) continue
    const steps = runScenario(r.story.scenario).length
    if (steps > best.steps) best = { id: r.story.meta.id, steps }
  }
  return best
}
