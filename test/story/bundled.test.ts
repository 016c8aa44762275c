// The app's entry to the stories: src/story/bundled.ts wraps the course that the build parses
// (scripts/storiesPlugin.ts, a Vite plugin that Vitest runs too), so the bundled course can be
// checked here against the files parsed directly.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../src/engine'
import { buildRegistry, playgroundSource } from '../../src/story'
import { registry } from '../../src/story/bundled'

describe('bundled stories', () => {
  it('bundles every story and nothing else', () => {
    expect(registry.errors).toEqual([])
    expect(registry.stories).toHaveLength(17)
    expect(registry.stories[0]!.file).toBe('stories/01-why-the-gil.md')
    expect(registry.stories.map((s) => s.file)).not.toContain('stories/README.md')
  })

  it('is, after the trip through the build as JSON, exactly the course parsed from the files', () => {
    const dir = new URL('../../stories/', import.meta.url)
    const files = Object.fromEntries(readdirSync(dir).filter((n) => n.endsWith('.md')).map((n) => [`../../stories/${n}`, readFileSync(new URL(n, dir), 'utf8')]))
    const direct = buildRegistry(files)
    expect(registry.stories).toEqual(direct.stories)
    expect(registry.byId('why-the-gil')).toEqual(direct.byId('why-the-gil'))
    expect(registry.next('why-the-gil')?.meta.id).toBe(direct.next('why-the-gil')?.meta.id)
  })

  it("opens each story's scenario in the playground as a plain scenario with the story's title", () => {
    for (const story of registry.stories) {
      const source = playgroundSource(story)
      expect(source).not.toContain('#>')
      const parsed = parseScenario(source, 'playground')
      expect(parsed.ok).toBe(true)
      if (parsed.ok) {
        expect(parsed.scenario.title).toBe(story.meta.title)
        expect(parsed.scenario.statements).toHaveLength(story.scenario.statements.length)
        expect(parsed.scenario.expectations).toHaveLength(story.scenario.expectations.length)
      }
    }
  })
})
