// The playground's share links: the compressed #s= form (round trip, damage detection, size
// bound), the older #scenario= form still read, and the length of a 200-line scenario's link.

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeScenario } from '../../src/app/url'
import { compressScenario, decodePlain, decompressScenario, playgroundLink, readFragment } from '../../src/playground/share'

const EXAMPLES = path.resolve(__dirname, '../../stories/examples')

/** 200 lines of real scenario text: the examples, one after another, cycled. */
function twoHundredLines(): string {
  const lines = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.scenario'))
    .sort()
    .flatMap((f) => readFileSync(path.join(EXAMPLES, f), 'utf8').trimEnd().split('\n'))
  const out: string[] = []
  for (let i = 0; out.length < 200; i++) out.push(lines[i % lines.length]!)
  return out.join('\n') + '\n'
}

describe('compressed share links (#s=)', () => {
  it('round-trips any text exactly, including non-ASCII and line endings', async () => {
    for (const text of ['', 'threads: main\nmain: x = list()\n', 'title: ünïcode 🧵 “quotes”\r\nmain: x = "é"\n', 'a'.repeat(10_000)]) {
      const encoded = await compressScenario(text)
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(await decompressScenario(encoded)).toEqual({ ok: true, text })
    }
  })

  it('keeps a 200-line scenario’s link short enough to share, far shorter than the old form', async () => {
    const text = twoHundredLines()
    expect(text.split('\n')).toHaveLength(201)
    const link = `https://example.org/explorer/${await playgroundLink(text, { step: 12 })}`
    const old = `https://example.org/explorer/?v=1#scenario=${encodeScenario(text)}`
    expect(link.length).toBeLessThan(4_000)
    expect(link.length).toBeLessThan(old.length / 2)
  })

  it('says why a damaged, cut-off or empty payload cannot be read', async () => {
    const encoded = await compressScenario('threads: main, T1\nmain: x = list() as L\nmain: G.x = x\nT1: y = G.x\n')
    const cut = await decompressScenario(encoded.slice(0, encoded.length - 6))
    expect(cut).toMatchObject({ ok: false, message: expect.stringMatching(/cut off/) })
    const flipped = encoded.slice(0, 10) + (encoded[10] === 'A' ? 'B' : 'A') + encoded.slice(11)
    expect(await decompressScenario(flipped)).toMatchObject({ ok: false, message: expect.stringMatching(/damaged|cut off/) })
    expect(await decompressScenario('%%%')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid base64url/) })
    expect(await decompressScenario('abcde')).toMatchObject({ ok: false })
    expect(await decompressScenario('  ')).toEqual({ ok: false, message: 'The link’s #s= part is empty.' })
  })

  it('refuses a payload that would inflate past the largest scenario', async () => {
    const bomb = await compressScenario('#'.repeat(17_000_000))
    expect(bomb.length).toBeLessThan(50_000)
    expect(await decompressScenario(bomb)).toMatchObject({ ok: false, message: expect.stringMatching(/larger than any scenario/) })
  })
})

describe('reading a fragment', () => {
  it('reads #s=, the older #scenario=, and nothing', async () => {
    const text = 'threads: main\nmain: x = list()\n'
    expect(await readFragment(`#s=${await compressScenario(text)}`)).toEqual({ kind: 'ok', text, format: 'compressed' })
    expect(await readFragment(`#scenario=${encodeScenario(text)}`)).toEqual({ kind: 'ok', text, format: 'plain' })
    expect(await readFragment('')).toEqual({ kind: 'none' })
    expect(await readFragment('#other=1')).toEqual({ kind: 'none' })
  })

  it('prefers #s= when both are present, and reports a bad one', async () => {
    const text = 'main: pass\n'
    expect(await readFragment(`#scenario=${encodeScenario('other')}&s=${await compressScenario(text)}`)).toMatchObject({ text })
    expect(await readFragment('#scenario=***')).toMatchObject({ kind: 'error', message: expect.stringMatching(/#scenario=/) })
    expect(decodePlain('_-8')).toMatchObject({ ok: false, message: expect.stringMatching(/UTF-8/) })
  })
})

describe('playground links', () => {
  it('carry the playground flag, the mode and the step', async () => {
    const href = await playgroundLink('main: pass\n', { mode: 'gil', step: 3 })
    const url = new URL(href, 'https://example.org/x/')
    expect(Object.fromEntries(url.searchParams)).toEqual({ v: '1', edit: '1', mode: 'gil', step: '3' })
    expect(await readFragment(url.hash)).toMatchObject({ text: 'main: pass\n' })
    expect(await playgroundLink('main: pass\n')).toMatch(/^\?v=1&edit=1#s=/)
  })
})
