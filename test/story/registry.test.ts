// buildRegistry: the course from a set of files, as the app builds it from import.meta.glob.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry, displayPath, expectedFileName, playgroundSource } from '../../src/story'

const good = readFileSync(join(import.meta.dirname, 'fixtures', 'good.md'), 'utf8')
const variant = (id: string, order: number) => good.replace('id: good-story', `id: ${id}`).replace('order: 1', `order: ${order}`)

describe('buildRegistry', () => {
  it('orders stories by `order`, whatever the file order, and links them', () => {
    const r = buildRegistry({
      '../../stories/02-second.md': variant('second', 2),
      '../../stories/01-first.md': variant('first', 1),
      '../../stories/10-tenth.md': variant('tenth', 10),
    })
    expect(r.errors).toEqual([])
    expect(r.stories.map((s) => s.meta.id)).toEqual(['first', 'second', 'tenth'])
    expect(r.stories[0]!.file).toBe('stories/01-first.md')
    expect(r.next('second')?.meta.id).toBe('tenth')
    expect(r.previous('second')?.meta.id).toBe('first')
    expect(r.byId('nope')).toBeUndefined()
    expect(r.next('nope')).toBeUndefined()
  })

  it('skips Markdown that is not a story', () => {
    const r = buildRegistry({ '../../stories/README.md': '# Stories\n\nHow to write one.\n', '../../stories/01-first.md': variant('first', 1) })
    expect(r.skipped).toEqual(['stories/README.md'])
    expect(r.stories).toHaveLength(1)
    expect(r.errors).toEqual([])
  })

  it('keeps a malformed story out and says why, with its line', () => {
    const broken = variant('broken', 2).replace('main: z = x', 'main: z = nope')
    const r = buildRegistry({ 'stories/01-first.md': variant('first', 1), 'stories/02-broken.md': broken })
    expect(r.stories.map((s) => s.meta.id)).toEqual(['first'])
    expect(r.errors).toEqual([expect.objectContaining({ file: 'stories/02-broken.md', line: 25, message: expect.stringMatching(/"nope" is not bound/) })])
  })

  it('reports duplicate ids and orders, and file names that do not follow NN-id.md', () => {
    const r = buildRegistry({
      'stories/01-first.md': variant('first', 1),
      'stories/02-first.md': variant('first', 2),
      'stories/03-third.md': variant('third', 1),
      'stories/whatever.md': variant('fourth', 4),
    })
    const messages = r.errors.map((e) => `${e.file}: ${e.message}`)
    expect(messages).toContain('stories/02-first.md: the id "first" is already used by stories/01-first.md')
    expect(messages).toContain('stories/03-third.md: order 1 is already used by stories/01-first.md')
    expect(messages).toContain('stories/03-third.md: a story with order 1 and id "third" is named 01-third.md (this file is 03-third.md)')
    expect(messages).toContain('stories/whatever.md: a story with order 4 and id "fourth" is named 04-fourth.md (this file is whatever.md)')
  })

  it('path helpers', () => {
    expect(displayPath('../../stories/01-a.md')).toBe('stories/01-a.md')
    expect(displayPath('stories\\01-a.md')).toBe('stories/01-a.md')
    const r = buildRegistry({ 'x/07-first.md': variant('first', 7) })
    expect(expectedFileName(r.stories[0]!)).toBe('07-first.md')
  })

  it("playgroundSource keeps the block's own title, or adds the story's", () => {
    const withTitle = buildRegistry({ 'stories/01-first.md': variant('first', 1).replace('threads: main, T1', 'title: Own title\nthreads: main, T1') })
    expect(withTitle.errors).toEqual([])
    expect(playgroundSource(withTitle.stories[0]!).startsWith('title: Own title\n')).toBe(true)
    const without = buildRegistry({ 'stories/01-first.md': variant('first', 1) })
    expect(playgroundSource(without.stories[0]!).split('\n').slice(0, 2)).toEqual(['title: A good story', '# From stories/01-first.md'])
  })
})
