// Tween descriptors and their evaluation: plain data in, plain numbers out (no DOM, no clock).
// The choreography (choreography.ts) produces descriptors from a step; the runner
// (useTweenRunner.ts) asks `tweenFrame` for the values at each timer tick and writes them to
// the elements React created for the descriptors.

import { easeBackOut, easeCubicInOut, easeCubicOut, easeLinear, easeQuadOut, easeSinInOut } from 'd3-ease'
import { interpolateNumber } from 'd3-interpolate'

export type EaseName = 'linear' | 'cubicInOut' | 'cubicOut' | 'quadOut' | 'backOut' | 'sinInOut'

const EASES: Readonly<Record<EaseName, (t: number) => number>> = {
  linear: easeLinear,
  cubicInOut: easeCubicInOut,
  cubicOut: easeCubicOut,
  quadOut: easeQuadOut,
  backOut: easeBackOut,
  sinInOut: easeSinInOut,
}

/**
 * What a tween draws:
 * - `token`: a reference-count write travelling from a thread to a field (`style` says how);
 * - `cover`: the field's value *before* the step, over the card, fading out as the write lands;
 * - `ghost`: an object's outline moving (into a merge queue, out of it, back to its heap page);
 * - `lock`: a padlock travelling between a mutex and the thread holding it;
 * - `zzz`: a thread parking;
 * - `gil`: the GIL badge passing between threads;
 * - `pulse`: a ring around something that changed;
 * - `sweep`: a band crossing the lanes as the world stops or restarts.
 */
export type TweenKind = 'token' | 'cover' | 'ghost' | 'lock' | 'zzz' | 'gil' | 'pulse' | 'sweep'

/** plain: a non-atomic store; atomic: a locked read-modify-write; fold: a merge of two counts; read/write: unsafe mode's two halves. */
export type TokenStyle = 'plain' | 'atomic' | 'fold' | 'read' | 'write' | 'item'

export interface Visual {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly opacity: number
  readonly scale: number
}

export interface Tween {
  /** Unique within a step (the runner finds its element by it). */
  readonly key: string
  readonly kind: TweenKind
  readonly style?: TokenStyle
  /** Short text carried by the tween, always taken from engine values (e.g. "+1", "local 2"). */
  readonly label: string
  /** cover: the lines of the old value, as the card printed them. */
  readonly lines?: readonly string[]
  /** cover: what it covers (a card row's value, a lane's status, a whole card). */
  readonly variant?: 'row' | 'status' | 'card'
  /** Thread whose colour the tween takes, or -1 for neutral. */
  readonly thread: number
  readonly from: Visual
  readonly to: Visual
  /** Height of the arc the position follows, as a fraction of the distance (0: straight). */
  readonly arc: number
  readonly delayMs: number
  readonly durationMs: number
  readonly ease: EaseName
  /** Before the delay: hidden, or shown at `from`. */
  readonly before: 'hidden' | 'from'
  /** After the end: hidden, or held at `to`. */
  readonly after: 'hidden' | 'to'
}

export interface Frame {
  readonly visible: boolean
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly opacity: number
  readonly scale: number
  /** Eased progress, 0..1. */
  readonly t: number
}

export function visual(x: number, y: number, opacity = 1, w = 0, h = 0, scale = 1): Visual {
  return { x, y, w, h, opacity, scale }
}

export function tweenEnd(t: Tween): number {
  return t.delayMs + t.durationMs
}

export function totalDuration(tweens: readonly Tween[]): number {
  let end = 0
  for (const t of tweens) end = Math.max(end, tweenEnd(t))
  return end
}

/** Highest an arc lifts a traveller, in scene pixels (long trips would otherwise fly off the top). */
const MAX_LIFT = 40

/** The values of a tween `elapsed` ms after the step started. */
export function tweenFrame(tw: Tween, elapsed: number): Frame {
  if (elapsed < tw.delayMs) {
    return { ...tw.from, visible: tw.before === 'from', t: 0 }
  }
  const raw = tw.durationMs <= 0 ? 1 : Math.min(1, (elapsed - tw.delayMs) / tw.durationMs)
  if (raw >= 1) return { ...tw.to, visible: tw.after === 'to', t: 1 }
  const t = EASES[tw.ease](raw)
  const lerp = (a: number, b: number) => interpolateNumber(a, b)(t)
  const dx = tw.to.x - tw.from.x
  const dy = tw.to.y - tw.from.y
  // A parabolic lift perpendicular to nothing in particular: straight up, so tokens arc over cards.
  const lift = tw.arc ? Math.min(MAX_LIFT, tw.arc * Math.hypot(dx, dy)) * 4 * t * (1 - t) : 0
  return {
    visible: true,
    x: lerp(tw.from.x, tw.to.x),
    y: lerp(tw.from.y, tw.to.y) - lift,
    w: lerp(tw.from.w, tw.to.w),
    h: lerp(tw.from.h, tw.to.h),
    opacity: lerp(tw.from.opacity, tw.to.opacity),
    scale: lerp(tw.from.scale, tw.to.scale),
    t,
  }
}

/** How long a step's animation lasts: shorter as playback gets faster (speed 1 = 2 steps/s). */
export function animationDuration(speed: number): number {
  const s = Number.isFinite(speed) && speed > 0 ? speed : 1
  return Math.round(Math.min(1400, Math.max(16, 440 / s)))
}
