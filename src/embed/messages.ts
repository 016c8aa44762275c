// The iframe page's postMessage API (pure parts: validation and origin checks).
//
// Commands the host sends to the iframe (iframe.contentWindow.postMessage(command, origin)):
//   { type: 'pep703:play' }  { type: 'pep703:pause' }
//   { type: 'pep703:step', delta?: integer }   (default 1; negative steps back)
//   { type: 'pep703:seek', step: integer }
// Events the iframe posts to its parent:
//   { type: 'pep703:step', step, total }       on load and whenever the step changes
//   { type: 'pep703:height', height }          the content's height in CSS px (ResizeObserver)
//
// The iframe acts only on messages from its parent whose origin is listed in the `origin=` (or
// `origins=`, comma- or space-separated) parameter, or is its own origin. Anything else, and
// any malformed command, is ignored without a word (and counted, for tests).

import type { ExplorerStore } from '../store/explorerStore'
import { lastPosition } from '../store/explorerStore'

export type EmbedCommand =
  | { readonly type: 'pep703:play' }
  | { readonly type: 'pep703:pause' }
  | { readonly type: 'pep703:step'; readonly delta: number }
  | { readonly type: 'pep703:seek'; readonly step: number }

export type EmbedEvent =
  | { readonly type: 'pep703:step'; readonly step: number; readonly total: number }
  | { readonly type: 'pep703:height'; readonly height: number }

const MAX = 1_000_000_000

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX
}

/** The command in `data`, or null when it is not exactly one of ours. */
export function parseCommand(data: unknown): EmbedCommand | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const d = data as Record<string, unknown>
  switch (d.type) {
    case 'pep703:play':
      return { type: 'pep703:play' }
    case 'pep703:pause':
      return { type: 'pep703:pause' }
    case 'pep703:step':
      if (d.delta === undefined) return { type: 'pep703:step', delta: 1 }
      return isInteger(d.delta) ? { type: 'pep703:step', delta: d.delta } : null
    case 'pep703:seek':
      return isInteger(d.step) && d.step >= 0 ? { type: 'pep703:seek', step: d.step } : null
    default:
      return null
  }
}

/** Normalised origins (scheme://host[:port]) from `origin=`/`origins=` values; bad ones dropped. */
export function parseOrigins(values: readonly string[]): string[] {
  const out: string[] = []
  for (const value of values) {
    for (const part of value.split(/[\s,]+/)) {
      if (part === '') continue
      try {
        const url = new URL(part)
        if ((url.protocol === 'https:' || url.protocol === 'http:') && !out.includes(url.origin)) out.push(url.origin)
      } catch {
        // Not a URL: ignored (it could never match an origin).
      }
    }
  }
  return out
}

export function originAllowed(origin: string, allowed: readonly string[], own: string): boolean {
  if (origin === own && own !== 'null') return true
  return allowed.includes(origin)
}

/** Runs a command on a player's store. */
export function runCommand(store: ExplorerStore, command: EmbedCommand): void {
  const s = store.getState()
  switch (command.type) {
    case 'pep703:play':
      return s.play()
    case 'pep703:pause':
      return s.pause()
    case 'pep703:step':
      return s.seek(s.position + command.delta, 'step')
    case 'pep703:seek':
      return s.seek(command.step, 'jump')
  }
}

export function stepEvent(store: ExplorerStore): EmbedEvent {
  const s = store.getState()
  return { type: 'pep703:step', step: s.position, total: lastPosition(s) }
}

export interface MessageGate {
  /** The window allowed to command: the iframe's parent (null when not framed). */
  readonly parent: unknown
  /** Origins from `origin=`/`origins=` (parseOrigins). */
  readonly allowed: readonly string[]
  /** The page's own origin. */
  readonly own: string
}

/**
 * The command a `message` event carries, or null when it must be ignored: not from the parent,
 * not from an allowed origin, or not exactly one of our commands. embed.html's only listener.
 */
export function commandFromEvent(event: Pick<MessageEvent, 'source' | 'origin' | 'data'>, gate: MessageGate): EmbedCommand | null {
  if (gate.parent === null || event.source !== gate.parent) return null
  if (!originAllowed(event.origin, gate.allowed, gate.own)) return null
  return parseCommand(event.data)
}

