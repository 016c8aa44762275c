// The animation layer: React creates one element per tween descriptor (with the values of its
// first frame); the runner then moves them with d3-timer by writing attributes through refs, so
// a frame costs a few setAttribute calls and no React render. d3 never selects anything.

import { memo, useCallback, useLayoutEffect, useRef } from 'react'
import { timer } from 'd3-timer'
import { lineY } from './ObjectCard'
import { GilBadge, Padlock } from './ThreadLane'
import { threadClass } from './palette'
import { totalDuration, tweenFrame, type Frame, type Tween } from './tween'

/** The SVG attributes of a tween's element for one frame. Pure. */
export function frameAttributes(tw: Tween, f: Frame): { transform: string; opacity: string; visibility: 'visible' | 'hidden'; w: number; h: number } {
  let transform = ''
  switch (tw.kind) {
    case 'cover':
      transform = ''
      break
    case 'ghost':
    case 'sweep':
    case 'gil':
      transform = `translate(${r2(f.x)},${r2(f.y)})`
      break
    case 'pulse': {
      const cx = f.x + f.w / 2
      const cy = f.y + f.h / 2
      transform = `translate(${r2(cx)},${r2(cy)}) scale(${r3(f.scale)}) translate(${r2(-f.w / 2)},${r2(-f.h / 2)})`
      break
    }
    default:
      transform = `translate(${r2(f.x)},${r2(f.y)}) scale(${r3(f.scale)})`
  }
  return { transform, opacity: String(r3(f.opacity)), visibility: f.visible ? 'visible' : 'hidden', w: Math.max(0, r2(f.w)), h: Math.max(0, r2(f.h)) }
}

function r2(n: number): number {
  return Math.round(n * 100) / 100
}
function r3(n: number): number {
  return Math.round(n * 1000) / 1000
}

function applyFrame(el: SVGGElement, tw: Tween, f: Frame) {
  const a = frameAttributes(tw, f)
  el.setAttribute('visibility', a.visibility)
  el.setAttribute('opacity', a.opacity)
  if (a.transform) el.setAttribute('transform', a.transform)
  if (tw.kind === 'ghost' || tw.kind === 'pulse') {
    const rect = el.firstElementChild
    if (rect) {
      rect.setAttribute('width', String(a.w))
      rect.setAttribute('height', String(a.h))
    }
  }
}

/**
 * Runs the tweens with d3-timer. When the tweens change (a new step, or a snap with none) or the
 * layer unmounts, whatever is in flight jumps to its end: a new step finishes the old one at once.
 */
export function useTweenRunner(tweens: readonly Tween[], elements: React.RefObject<Map<string, SVGGElement>>) {
  useLayoutEffect(() => {
    if (tweens.length === 0) return
    const els = elements.current
    const total = totalDuration(tweens)
    const tick = (elapsed: number) => {
      for (const tw of tweens) {
        const el = els.get(tw.key)
        if (el) applyFrame(el, tw, tweenFrame(tw, elapsed))
      }
    }
    const t = timer((elapsed) => {
      tick(elapsed)
      if (elapsed >= total) t.stop()
    })
    return () => {
      t.stop()
      tick(Number.POSITIVE_INFINITY)
    }
  }, [tweens, elements])
}

function TweenElement({ tw, register }: { readonly tw: Tween; readonly register: (key: string, el: SVGGElement | null) => void }) {
  const f = tweenFrame(tw, 0)
  const a = frameAttributes(tw, f)
  const common = {
    ref: (el: SVGGElement | null) => register(tw.key, el),
    visibility: a.visibility,
    opacity: a.opacity,
    transform: a.transform || undefined,
    'data-tween': tw.kind,
  }
  const tc = threadClass(tw.thread)
  switch (tw.kind) {
    case 'token':
      return (
        <g {...common} className={`anim anim-token token-${tw.style === 'atomic' ? 'atomic' : 'plain'} ${tc}`} data-style={tw.style}>
          {tw.style === 'atomic' ? (
            <>
              <circle r={12} />
              <path d="M0,-8 L8,0 L0,8 L-8,0 Z" />
            </>
          ) : tw.style === 'plain' ? (
            <circle r={6.5} />
          ) : (
            <circle r={5} />
          )}
          <text className="token-label" x={tw.style === 'atomic' ? 14 : 10} y={-10}>
            {tw.style === 'fold' ? `${tw.label} → shared` : tw.label}
          </text>
        </g>
      )
    case 'cover': {
      const whole = tw.variant === 'card'
      const status = tw.variant === 'status'
      return (
        <g {...common} className={`anim anim-cover${whole ? ' anim-cover-whole' : status ? ' anim-cover-status' : ''}`}>
          <rect x={tw.from.x} y={tw.from.y} width={tw.from.w} height={tw.from.h} rx={whole ? 6 : status ? 4 : 0} />
          {(tw.lines ?? []).map((line, i) => (
            <text key={i} x={tw.from.x + (status ? 6 : 0)} y={status ? tw.from.y + tw.from.h / 2 + 1 : lineY(tw.from.y, i)}>
              {line}
            </text>
          ))}
          {whole && tw.label && (
            <text x={tw.from.x + 12} y={tw.from.y + 16} className="muted">
              {tw.label}
            </text>
          )}
        </g>
      )
    }
    case 'ghost':
      return (
        <g {...common} className={`anim anim-ghost ${tc}`}>
          <rect width={a.w} height={a.h} rx={4} />
          <text x={6} y={10} className="token-label">
            {tw.label}
          </text>
        </g>
      )
    case 'pulse':
      return (
        <g {...common} className={`anim anim-pulse ${tc}`}>
          <rect width={a.w} height={a.h} rx={5} />
          {tw.label && (
            <text x={a.w + 6} y={a.h / 2} className="token-label">
              {tw.label}
            </text>
          )}
        </g>
      )
    case 'lock':
      return (
        <g {...common} className={`anim anim-lock ${tc}`}>
          <Padlock x={0} y={0} size={16} />
          <text x={12} y={-12} className="token-label">
            {`${tw.label}'s lock`}
          </text>
        </g>
      )
    case 'zzz':
      return (
        <g {...common} className={`anim anim-zzz ${tc}`}>
          <text>zzz</text>
        </g>
      )
    case 'gil':
      return (
        <g {...common} className="anim">
          <GilBadge r={{ x: 0, y: 0, w: tw.from.w, h: tw.from.h }} thread={tw.thread} />
        </g>
      )
    case 'sweep':
      return (
        <g {...common} className={`anim anim-sweep ${tc}`}>
          <rect width={tw.from.w} height={tw.from.h} />
          <text x={tw.from.w / 2} y={tw.from.h / 2 + 1} textAnchor="middle">
            {tw.label}
          </text>
        </g>
      )
  }
}

function AnimationLayerImpl({ tweens }: { readonly tweens: readonly Tween[] }) {
  const elements = useRef(new Map<string, SVGGElement>())
  const register = useCallback((key: string, el: SVGGElement | null) => {
    if (el) elements.current.set(key, el)
    else elements.current.delete(key)
  }, [])
  useTweenRunner(tweens, elements)
  return (
    <g className="anim-layer" aria-hidden="true">
      {tweens.map((tw) => (
        <TweenElement key={tw.key} tw={tw} register={register} />
      ))}
    </g>
  )
}

export const AnimationLayer = memo(AnimationLayerImpl)
