// The view's URL, format version 1:
//
//   ?v=1&story=<id>&step=<n>&mode=<m>&compare=<m>&speed=<x>&autoplay=1#scenario=<base64url>
//
// `story` names a built-in scenario (`scenario=` is accepted as an old alias); `step` is the
// 0-based position (0 = the initial state); `mode` overrides the scenario's `mode:` header and
// `compare` adds a second mode side by side; `speed` is a playback multiplier; `autoplay=1`
// starts playing on load. An edited scenario travels in the fragment as base64url of its UTF-8
// text, so it never reaches a server log. Links without `v` are read as version 1; a link with
// another `v` is refused with a clear message rather than replayed differently.
//
// The playground: `?v=1&edit=1` (README: Playground), optionally with `story=<id>` (start from
// that story or example), `mode`, `step`, and in the fragment either `#scenario=` as above or
// `#s=<base64url of the zlib-deflated UTF-8 text>`, the compressed form its share links use
// (src/playground/share.ts reads both; decompressing is asynchronous, so it is not done here).
// This module leaves `edit` and `#s=` alone: App.tsx routes `edit=1` to the playground.

import type { Mode } from '../engine'
import { isMode, SPEEDS } from '../store/explorerStore'

export const URL_FORMAT_VERSION = 1

export interface UrlView {
  readonly story: string | null
  /** An edited scenario's text (from the fragment), or null. */
  readonly scenarioText: string | null
  readonly step: number | null
  readonly mode: Mode | null
  readonly compare: Mode | null
  readonly speed: number | null
  readonly autoplay: boolean
}

export const EMPTY_VIEW: UrlView = {
  story: null,
  scenarioText: null,
  step: null,
  mode: null,
  compare: null,
  speed: null,
  autoplay: false,
}

export type UrlProblem =
  | { readonly kind: 'version'; readonly value: string }
  | { readonly kind: 'step'; readonly value: string }
  | { readonly kind: 'mode'; readonly value: string }
  | { readonly kind: 'compare'; readonly value: string }
  | { readonly kind: 'speed'; readonly value: string; readonly used: number }
  | { readonly kind: 'fragment'; readonly message: string }

export interface ParsedUrl {
  readonly view: UrlView
  readonly problems: readonly UrlProblem[]
}

/** Parameters this module owns; others (a host page's) are kept when building a URL. */
const OWN_PARAMS = ['v', 'story', 'scenario', 'step', 'mode', 'compare', 'speed', 'autoplay'] as const

const MIN_SPEED = SPEEDS[0]
const MAX_SPEED = SPEEDS[SPEEDS.length - 1]!

export function parseUrl(search: string, hash = ''): ParsedUrl {
  const params = new URLSearchParams(search)
  const problems: UrlProblem[] = []
  const version = params.get('v')
  if (version !== null && version.trim() !== String(URL_FORMAT_VERSION)) {
    // Nothing else is read: a future format may mean something else by the same names.
    return { view: EMPTY_VIEW, problems: [{ kind: 'version', value: version }] }
  }

  const story = nonEmpty(params.get('story')) ?? nonEmpty(params.get('scenario'))

  let step: number | null = null
  const stepText = params.get('step')
  if (stepText !== null) {
    // A huge number is past the end like any other (300 digits would otherwise be Infinity).
    if (/^\s*\d+\s*$/.test(stepText)) step = Math.min(Number(stepText), Number.MAX_SAFE_INTEGER)
    else problems.push({ kind: 'step', value: stepText })
  }

  const mode = readMode(params.get('mode'), 'mode', problems)
  const compare = readMode(params.get('compare'), 'compare', problems)

  let speed: number | null = null
  const speedText = params.get('speed')
  if (speedText !== null) {
    const value = Number(speedText.replace(/x$/i, ''))
    if (speedText.trim() === '' || !Number.isFinite(value) || value <= 0) {
      problems.push({ kind: 'speed', value: speedText, used: 1 })
    } else if (value < MIN_SPEED || value > MAX_SPEED) {
      const used = Math.min(MAX_SPEED, Math.max(MIN_SPEED, value))
      problems.push({ kind: 'speed', value: speedText, used })
      speed = used
    } else {
      speed = value
    }
  }

  const autoplayText = params.get('autoplay')
  const autoplay = autoplayText === '1' || autoplayText === 'true' || autoplayText === ''

  let scenarioText: string | null = null
  const fragment = new URLSearchParams(hash.replace(/^#/, ''))
  const encoded = fragment.get('scenario')
  if (encoded !== null) {
    const decoded = decodeScenario(encoded)
    if (decoded.ok) scenarioText = decoded.text
    else problems.push({ kind: 'fragment', message: decoded.message })
  }

  return { view: { story, scenarioText, step, mode, compare, speed, autoplay }, problems }
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value
}

function readMode(value: string | null, kind: 'mode' | 'compare', problems: UrlProblem[]): Mode | null {
  if (value === null || value === '') return null
  if (isMode(value)) return value
  problems.push({ kind, value })
  return null
}

/**
 * The query string and fragment for `view` (always with `v=1`), keeping parameters of `base`
 * that this module does not own. Defaults are left out: step 0, speed 1, no mode override.
 */
export function buildUrl(view: UrlView, base = ''): { search: string; hash: string } {
  const out = new URLSearchParams()
  out.set('v', String(URL_FORMAT_VERSION))
  if (view.scenarioText === null && view.story !== null) out.set('story', view.story)
  if (view.step !== null && view.step > 0) out.set('step', String(view.step))
  if (view.mode !== null) out.set('mode', view.mode)
  if (view.compare !== null) out.set('compare', view.compare)
  if (view.speed !== null && view.speed !== 1) out.set('speed', String(view.speed))
  if (view.autoplay) out.set('autoplay', '1')
  for (const [key, value] of new URLSearchParams(base)) {
    if (!(OWN_PARAMS as readonly string[]).includes(key)) out.append(key, value)
  }
  const hash = view.scenarioText === null ? '' : `#scenario=${encodeScenario(view.scenarioText)}`
  return { search: `?${out.toString()}`, hash }
}

/** `search + hash` for `view`, as a relative link. */
export function viewHref(view: UrlView, base = ''): string {
  const { search, hash } = buildUrl(view, base)
  return `${search}${hash}`
}

/** base64url (RFC 4648 §5, no padding) of the UTF-8 bytes of `text`. */
export function encodeScenario(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function decodeScenario(encoded: string): { ok: true; text: string } | { ok: false; message: string } {
  const clean = encoded.trim()
  if (clean === '') return { ok: false, message: 'The link’s #scenario= part is empty.' }
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    return {
      ok: false,
      message:
        'The link’s #scenario= part is not valid base64url (letters, digits, - and _ only); it may have been cut off or changed when it was copied.',
    }
  }
  let binary: string
  try {
    const base64 = clean.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
    binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  } catch {
    return { ok: false, message: 'The link’s #scenario= part could not be decoded as base64url.' }
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { ok: false, message: 'The link’s #scenario= part does not decode to UTF-8 text.' }
  }
}
