// Every story in stories/ parses, follows the course's conventions, and passes the same checker
// as `npm run scenario -- check` (checkScenarioText, through checkStory). Some claims a story makes
// cannot be written as `expect` lines (counters, heap pages, GIL hand-offs): they are checked here.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenario, type Counters, type Mode, type WorldState } from '../../src/engine'
import { buildRegistry, checkStory, isStoryText, pep703Link, type Story } from '../../src/story'

const dir = join(import.meta.dirname, '..', '..', 'stories')
const files: Record<string, string> = {}
for (const name of readdirSync(dir).sort()) if (name.endsWith('.md')) files[`stories/${name}`] = readFileSync(join(dir, name), 'utf8')
const registry = buildRegistry(files)
const stories = registry.stories

const statements = (s: Story) => s.scenario.statements.length
const prompts = (s: Story) => s.notes.reduce((n, note) => n + note.predict.length, 0)

describe('the course', () => {
  it('has the 17 stories of issue 4, in order, with no errors', () => {
    expect(registry.errors).toEqual([])
    expect(stories.map((s) => s.meta.order)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))
    expect([...registry.skipped].sort()).toEqual(['stories/README.md', 'stories/scenario-language.md'])
  })

  it('every Markdown file in stories/ is a story, except the two reference pages', () => {
    const notStories = Object.keys(files).filter((f) => !isStoryText(files[f]!))
    expect(notStories.sort()).toEqual(['stories/README.md', 'stories/scenario-language.md'])
  })

  it('links next and previous', () => {
    expect(registry.next(stories[0]!.meta.id)).toBe(stories[1])
    expect(registry.previous(stories[0]!.meta.id)).toBeUndefined()
    expect(registry.next(stories.at(-1)!.meta.id)).toBeUndefined()
    expect(registry.byId('pep-vs-cpython-3-14')?.meta.order).toBe(17)
  })
})

describe.each(stories.map((s) => [s.file, s] as const))('%s', (_file, story) => {
  it('passes the checker', () => {
    const report = checkStory(story)
    expect(report.errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual([])
    expect(report.expectations).toBeGreaterThanOrEqual(2)
    // Damage is part of the lesson only in unsafe mode; a deadlock only where the story announces it.
    for (const v of report.trace!.violations) {
      if (v.kind === 'deadlock') expect(report.trace!.deadlockAnnounced).toBe(true)
      else expect(story.scenario.mode).toBe('unsafe')
    }
  })

  it('is a short guided tour: 5-15 statements, 1-3 predictions, narration where it matters', () => {
    expect(statements(story)).toBeGreaterThanOrEqual(5)
    expect(statements(story)).toBeLessThanOrEqual(15)
    expect(prompts(story)).toBeGreaterThanOrEqual(1)
    expect(prompts(story)).toBeLessThanOrEqual(3)
    expect(story.notes.filter((n) => n.narration).length).toBeGreaterThanOrEqual(3)
    expect(story.meta.minutes).toBeGreaterThanOrEqual(2)
    expect(story.meta.minutes).toBeLessThanOrEqual(8)
    expect(story.prose.before.length).toBeGreaterThan(200)
    expect(story.prose.after.length).toBeGreaterThan(100)
  })

  it('links its PEP 703 sections', () => {
    for (const section of story.meta.pep703) expect(pep703Link(section)).toMatch(/^https:\/\/peps\.python\.org\/pep-0703\/#[a-z0-9-]+$/)
  })
})

// ---------------------------------------------------------------- claims beyond `expect`

function run(id: string, mode?: Mode) {
  const story = registry.byId(id)!
  return runScenario(story.scenario, mode ? { mode } : {})
}
const counters = (w: WorldState, thread: string): Counters => w.threads.find((t) => t.name === thread)!.counters
/** The state right after the statement on this line of the story's scenario has finished. */
function after(id: string, code: string, mode?: Mode): WorldState {
  const story = registry.byId(id)!
  const line = story.scenario.statements.find((s) => s.text === code)!.line
  const t = run(id, mode)
  const last = t.steps.filter((s) => s.line === line).at(-1)!
  return t.stateAfter(last.index)
}

describe('claims the stories make that expect lines cannot check', () => {
  it('story 1: the unsafe run frees O while main still uses it', () => {
    const t = run('why-the-gil')
    expect(t.violations.map((v) => v.kind)).toContain('use-after-free')
  })

  it('story 2: atomic mode pays an atomic operation for every change, even for one thread', () => {
    const w = after('atomic-refcounts', 'del y')
    const main = counters(w, 'main')
    expect(main.atomicOps).toBe(4)
    expect(main.cacheLineTransfers).toBe(0)
    const free = counters(after('atomic-refcounts', 'del y', 'free-threaded'), 'main')
    expect(free.atomicOps).toBe(0)
    expect(main.cycles).toBeGreaterThan(10 * free.cycles)
    // Sharing: each change after a change by the other thread moves the cache line.
    const end = run('atomic-refcounts').stateAt(run('atomic-refcounts').length)
    expect(counters(end, 'T1').cacheLineTransfers).toBe(2)
    expect(counters(end, 'main').cacheLineTransfers).toBe(2)
  })

  it('story 3: the owner never needs an atomic operation', () => {
    const t = run('biased-counting')
    expect(counters(t.stateAt(t.length), 'main').atomicOps).toBe(0)
  })

  it('story 9: calling the deferred function costs nothing, calling the closure costs atomics', () => {
    const story = registry.byId('deferred-counting')!
    const t = run('deferred-counting')
    const F = story.scenario.objects.findIndex((o) => o.label === 'F')
    const callLines = new Set(story.scenario.statements.filter((s) => s.text === 'G.f()' || s.text === 'h = G.f').map((s) => s.line))
    const touchesF = t.steps.filter((s) => callLines.has(s.line)).flatMap((s) => s.changes).filter((c) => c.target === 'object' && c.id === F)
    expect(touchesF).toEqual([])
    expect(t.steps.some((s) => s.op === 'decref.shared' && /CL/.test(s.narration))).toBe(true)
  })

  it("story 10: a block freed by another thread goes on the page's cross-thread free list; the owner collects it", () => {
    const story = registry.byId('per-thread-heaps')!
    const A = story.scenario.objects.findIndex((o) => o.label === 'A')
    const freed = after('per-thread-heaps', 'del x')
    const page = freed.pages[freed.objects[A]!.page]!
    expect(page.owner).toBe(0) // main's heap
    expect(page.threadFreeList).toContain(A)
    expect(page.freeList).not.toContain(A)
    const collected = after('per-thread-heaps', 'c = object() as C')
    expect(collected.pages[page.id]!.threadFreeList).toEqual([])
    expect(collected.pages[page.id]!.freeList).toContain(A)
    const exited = after('per-thread-heaps', 'exit')
    expect(exited.pages.filter((p) => p.owner === 1)).toEqual([])
  })

  it('story 11: the collection stops the running thread and merges the blocked one\'s queue', () => {
    const t = run('stop-the-world')
    const ops = t.steps.map((s) => s.op)
    expect(ops).toContain('gc.merge-queued')
    expect(t.steps.find((s) => s.op === 'gc.stop')!.narration).toMatch(/T2 stops/)
  })

  it('story 16: free-threaded, no thread waits; under the GIL every thread does, and the wall time is much longer', () => {
    const wall = (mode: Mode) => {
      const t = run('gil-vs-free-threaded', mode)
      const w = t.stateAt(t.length)
      const cycles = w.threads.map((th) => th.counters.cycles)
      return { w, wall: mode === 'gil' ? cycles.reduce((a, b) => a + b, 0) : Math.max(...cycles) }
    }
    const ft = wall('free-threaded')
    const gil = wall('gil')
    expect(ft.w.threads.every((th) => th.counters.contendedWaits === 0)).toBe(true)
    expect(gil.w.threads.filter((th) => th.counters.contendedWaits > 0).length).toBe(4)
    expect(gil.wall).toBeGreaterThan(10 * ft.wall)
  })
})
