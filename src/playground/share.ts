// Share links for the playground. A scenario travels in the URL's fragment (never sent to a
// server), in one of two forms:
//
//   #s=<base64url>         compressed (format 1): base64url (RFC 4648 §5, no padding) of the
//                          zlib stream (RFC 1950: deflate plus an Adler-32 checksum) of the
//                          UTF-8 text. The checksum turns a changed or cut-off link into a clear
//                          message instead of a different scenario. A later format would take
//                          another key.
//   #scenario=<base64url>  the older, uncompressed form (src/app/url.ts writes it); still read.
//
// Compression uses the browser's own CompressionStream, so no library is added. It is
// asynchronous, which is why this lives in the playground (loaded on demand) and not in url.ts.

import { LIMITS } from '../engine'

export const SHARE_KEY = 's'

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string }

const DAMAGED =
  'it may have been cut off or changed when it was copied. Ask for the link again, or make sure all of it was copied.'

function bytesToBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function base64urlToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  try {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    return Uint8Array.from(binary, (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}

/** Pushes `input` through a (de)compression stream; stops (null) past `maxBytes` of output. */
async function pipe(stream: CompressionStream | DecompressionStream, input: Uint8Array, maxBytes: number): Promise<Uint8Array | null> {
  const writer = stream.writable.getWriter()
  // Errors surface on the reading side; these promises only need a handler.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined)
  writer.close().catch(() => undefined)
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > maxBytes) {
      // A tiny link must not inflate into gigabytes (a "zip bomb").
      await reader.cancel().catch(() => undefined)
      return null
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** The `#s=` payload for `text`. */
export async function compressScenario(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text)
  const packed = await pipe(new CompressionStream('deflate'), bytes, Number.MAX_SAFE_INTEGER)
  return bytesToBase64url(packed!)
}

/** The text of a `#s=` payload, or a sentence saying why it cannot be read. */
export async function decompressScenario(encoded: string): Promise<Decoded> {
  const clean = encoded.trim()
  if (clean === '') return { ok: false, message: 'The link’s #s= part is empty.' }
  const bytes = base64urlToBytes(clean)
  if (bytes === null) {
    return { ok: false, message: `The link’s #s= part is not valid base64url (letters, digits, - and _ only): ${DAMAGED}` }
  }
  let raw: Uint8Array | null
  try {
    raw = await pipe(new DecompressionStream('deflate'), bytes, LIMITS.maxSourceLength * 4)
  } catch {
    return { ok: false, message: `The scenario in this link is damaged (it does not decompress, or its checksum does not match): ${DAMAGED}` }
  }
  if (raw === null) return { ok: false, message: 'The scenario in this link is larger than any scenario the explorer accepts, so it was not opened.' }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(raw) }
  } catch {
    return { ok: false, message: 'The scenario in this link does not decompress to UTF-8 text.' }
  }
}

/** The older `#scenario=` form: base64url of the UTF-8 text (as src/app/url.ts writes it). */
export function decodePlain(encoded: string): Decoded {
  const clean = encoded.trim().replace(/=+$/, '')
  if (clean === '') return { ok: false, message: 'The link’s #scenario= part is empty.' }
  const bytes = base64urlToBytes(clean)
  if (bytes === null) {
    return { ok: false, message: `The link’s #scenario= part is not valid base64url (letters, digits, - and _ only): ${DAMAGED}` }
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { ok: false, message: 'The link’s #scenario= part does not decode to UTF-8 text.' }
  }
}

export type FragmentScenario =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly text: string; readonly format: 'compressed' | 'plain' }
  | { readonly kind: 'error'; readonly message: string }

/** The scenario carried by a location's fragment, in either form (`#s=` wins). */
export async function readFragment(hash: string): Promise<FragmentScenario> {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const compressed = params.get(SHARE_KEY)
  if (compressed !== null) {
    const d = await decompressScenario(compressed)
    return d.ok ? { kind: 'ok', text: d.text, format: 'compressed' } : { kind: 'error', message: d.message }
  }
  const plain = params.get('scenario')
  if (plain !== null) {
    const d = decodePlain(plain)
    return d.ok ? { kind: 'ok', text: d.text, format: 'plain' } : { kind: 'error', message: d.message }
  }
  return { kind: 'none' }
}

/** The playground's query parameter. */
export const EDIT_PARAM = 'edit'

/**
 * A link (relative: `?…#…`) that opens the playground with `text`, in `mode` if given, at
 * `step` if above 0.
 */
export async function playgroundLink(text: string, options: { readonly mode?: string | null; readonly step?: number } = {}): Promise<string> {
  const search = new URLSearchParams({ v: '1', [EDIT_PARAM]: '1' })
  if (options.mode) search.set('mode', options.mode)
  if (options.step !== undefined && options.step > 0) search.set('step', String(options.step))
  return `?${search.toString()}#${SHARE_KEY}=${await compressScenario(text)}`
}
