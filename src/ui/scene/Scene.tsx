// The animated picture of one moment of a trace: thread lanes with their variables, critical
// sections, merge queues and heap pages; object cards with their headers; references as arrows.
// React renders every element from engine state; layout and choreography are pure (layout.ts,
// choreography.ts); d3-timer moves the few animated elements through refs (AnimationLayer).

import { memo, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Mode, WorldState } from '../../engine'
import type { SceneProps } from '../contracts'
import { AnimationLayer } from './AnimationLayer'
import { ArrowMarkers, SlotArrows, VarArrows } from './Arrows'
import { planAnimation } from './choreography'
import { cardContext, namesOf, threadStatusText, threadSummary, type Names } from './format'
import { stepHighlights } from './highlights'
import { layoutScene, layoutWidth, sceneZoom, type SceneLayout } from './layout'
import { ObjectCard } from './ObjectCard'
import { threadClass } from './palette'
import { GilBadge, PageRow, ThreadLane } from './ThreadLane'
import type { Tween } from './tween'
import './scene.css'

/** Width used before the container is measured (and in jsdom, which has no layout). */
export const DEFAULT_WIDTH = 1280

const MODE_TITLE: Readonly<Record<Mode, string>> = {
  'free-threaded': 'Free-threaded build (PEP 703): biased reference counting, no GIL',
  gil: 'Default build: one GIL, plain ob_refcnt',
  atomic: 'Hypothetical: no GIL, every ob_refcnt change atomic',
  unsafe: 'Hypothetical: no GIL, plain ob_refcnt (races lose updates)',
}

function useContainerWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0
      if (w > 0) setWidth(w)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}

interface AnimationState {
  readonly trace: SceneProps['trace'] | null
  readonly position: number
  readonly layout: SceneLayout | null
  readonly tweens: readonly Tween[]
}

const NO_TWEENS: readonly Tween[] = []

export function Scene({ trace, position, previousPosition, reducedMotion, speed }: SceneProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const containerWidth = useContainerWidth(scrollRef)
  const zoom = sceneZoom(containerWidth)
  const width = layoutWidth(containerWidth / zoom)
  const layout = useMemo(() => layoutScene(trace, width), [trace, width])
  const names = useMemo(() => namesOf(trace), [trace])
  const uid = `scene${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`

  // Tweens are planned when the position (or trace) changes, not when the speed does, so a
  // speed change never replays the current step. A relayout alone snaps.
  const [anim, setAnim] = useState<AnimationState>({ trace: null, position: -1, layout: null, tweens: NO_TWEENS })
  if (anim.trace !== trace || anim.position !== position || anim.layout !== layout) {
    const moved = anim.trace !== trace || anim.position !== position
    setAnim({
      trace,
      position,
      layout,
      tweens: moved ? planAnimation(trace, { position, previousPosition, reducedMotion, speed }, layout, names) : NO_TWEENS,
    })
  }
  const tweens = anim.trace === trace && anim.position === position && anim.layout === layout ? anim.tweens : NO_TWEENS

  const state = trace.stateAt(position)
  const step = position > 0 ? (trace.steps[position - 1] ?? null) : null
  const hl = useMemo(() => stepHighlights(step, trace.mode), [step, trace.mode])
  const titleId = `${uid}-title`
  const descId = `${uid}-desc`

  return (
    <figure className="scene" aria-labelledby={titleId} data-testid="scene" data-position={position} data-animating={tweens.length > 0 ? 'true' : 'false'}>
      <Legend mode={trace.mode} />
      <div className="scene-scroll" ref={scrollRef}>
        <svg
          className="scene-svg"
          role="group"
          aria-labelledby={titleId}
          aria-describedby={descId}
          width={layout.width * zoom}
          height={layout.height * zoom}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          style={{ '--scene-hatch': `url(#${uid}-hatch)`, '--scene-hatch-light': `url(#${uid}-hatch-light)` } as React.CSSProperties}
        >
          <title id={titleId}>{`Threads and objects ${position === 0 ? 'before the first step' : `after step ${position}`}`}</title>
          <desc id={descId}>{describeWorld(state, names, position)}</desc>
          <defs>
            <pattern id={`${uid}-hatch`} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width={6} height={6} fill="var(--scene-card-bg)" />
              <line x1={0} y1={0} x2={0} y2={6} stroke="var(--scene-muted)" strokeWidth={2.5} />
            </pattern>
            <pattern id={`${uid}-hatch-light`} width={8} height={8} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width={8} height={8} fill="var(--scene-card-bg)" />
              <line x1={0} y1={0} x2={0} y2={8} stroke="var(--scene-border)" strokeWidth={1.5} />
            </pattern>
            <ArrowMarkers uid={uid} />
          </defs>

          <Banner layout={layout} state={state} names={names} changed={hl.world.has('gil') || hl.world.has('stoppedBy')} />

          {layout.lanes.map((lane) => {
            const t = state.threads[lane.thread]!
            return (
              <ThreadLane
                key={lane.thread}
                t={t}
                lane={lane}
                mode={trace.mode}
                names={names}
                statusText={threadStatusText(t, state, names)}
                summary={threadSummary(t, state, names)}
                holdsGil={state.gil === lane.thread}
                changed={hl.threads.get(lane.thread) ?? ''}
              />
            )
          })}
          {layout.lanes.map((lane) =>
            lane.pages.map((p) => {
              const page = state.pages[p.page]
              return page ? <PageRow key={p.page} page={page} layout={p} names={names} changed={hl.pages.get(p.page) ?? ''} /> : null
            }),
          )}

          {layout.statics && (
            <g>
              <rect className="lane-bg tc-none" x={layout.statics.rect.x} y={layout.statics.rect.y} width={layout.statics.rect.w} height={layout.statics.rect.h} />
              <text className="small-label" x={layout.statics.label.x} y={layout.statics.label.y}>
                immortal objects: statically allocated or interned, shared by every thread
              </text>
            </g>
          )}

          <g className="arrows">
            {layout.lanes.map((lane) => {
              const t = state.threads[lane.thread]!
              return <VarArrows key={lane.thread} uid={uid} thread={lane.thread} vars={t.vars} cRefs={t.cRefs} lane={lane} cards={layout.cards} />
            })}
            {state.objects.map((o) =>
              o.slots.length ? <SlotArrows key={o.id} uid={uid} obj={o.id} slots={o.slots} cards={layout.cards} geo={layout.card} /> : null,
            )}
          </g>

          <g className="cards">
            {state.objects.map((o) => {
              const rect = layout.cards[o.id]
              if (!rect) return null
              const ctx = cardContext(state, o, names)
              return (
                <ObjectCard
                  key={o.id}
                  o={o}
                  rect={rect}
                  geo={layout.card}
                  mode={trace.mode}
                  names={names}
                  owner={ctx.owner}
                  ownerExited={ctx.ownerExited}
                  changed={hl.objects.get(o.id) ?? ''}
                />
              )
            })}
          </g>

          <StoppedOverlays layout={layout} state={state} names={names} />
        </svg>
        {/* The animation layer is an SVG of its own on top, in its own compositing layer: moving a
            token repaints that small layer, not the whole scene. */}
        <svg
          className="scene-svg scene-anim"
          aria-hidden="true"
          width={layout.width * zoom}
          height={layout.height * zoom}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
        >
          <AnimationLayer tweens={tweens} />
        </svg>
      </div>
    </figure>
  )
}

/** A one-paragraph text equivalent of the picture. */
export function describeWorld(w: WorldState, names: Names, position: number): string {
  const live = w.objects.filter((o) => o.allocated && !o.freed)
  const freed = w.objects.filter((o) => o.freed)
  const parts = [
    `${MODE_TITLE[w.mode]}.`,
    position === 0 ? 'Initial state.' : `State after step ${position}.`,
    `${w.threads.length} thread${w.threads.length === 1 ? '' : 's'}: ${w.threads.map((t) => `${t.name} ${threadStatusText(t, w, names)}`).join(', ')}.`,
    `${live.length} live object${live.length === 1 ? '' : 's'}${freed.length ? `, ${freed.length} freed` : ''}.`,
  ]
  if (w.mode === 'gil') parts.push(w.gil >= 0 ? `${names.threads[w.gil]} holds the GIL.` : 'Nobody holds the GIL.')
  if (w.stoppedBy >= 0) parts.push(`The world is stopped for a collection by ${names.threads[w.stoppedBy]}.`)
  parts.push('Each thread and object below has its own description.')
  return parts.join(' ')
}

interface BannerProps {
  readonly layout: SceneLayout
  readonly state: WorldState
  readonly names: Names
  readonly changed: boolean
}

const Banner = memo(function Banner({ layout, state, names, changed }: BannerProps) {
  const b = layout.banner
  const stopped = state.stoppedBy >= 0
  const world = stopped ? `World stopped for GC by ${names.threads[state.stoppedBy]}` : 'World running'
  return (
    <g className="banner" role="group" aria-label={`${MODE_TITLE[state.mode]}. ${world}.${state.mode === 'gil' ? ` GIL: ${state.gil >= 0 ? `held by ${names.threads[state.gil]}` : 'free'}.` : ''}`}>
      <rect className="banner-bg" x={b.x + 1} y={b.y + 1} width={b.w - 2} height={b.h - 2} rx={6} />
      {changed && <rect className="part-changed" x={b.x + 1} y={b.y + 1} width={b.w - 2} height={b.h - 2} rx={6} />}
      <g aria-hidden="true">
        <text className="banner-text" x={b.x + 12} y={b.y + b.h / 2 + 1}>
          {layout.narrow ? state.mode : MODE_TITLE[state.mode]}
        </text>
        <text
          className={`banner-text${stopped ? ' banner-stopped' : ''}`}
          x={layout.gilHome ? layout.gilHome.x - 110 : b.x + b.w - 12}
          y={b.y + b.h / 2 + 1}
          textAnchor="end"
        >
          {layout.narrow && stopped ? 'GC: world stopped' : world}
        </text>
        {layout.gilHome && (
          <>
            <text className="banner-text" x={layout.gilHome.x - 8} y={b.y + b.h / 2 + 1} textAnchor="end">
              {state.gil >= 0 ? `GIL → ${names.threads[state.gil]}` : 'GIL free'}
            </text>
            <rect className="slot-empty" x={layout.gilHome.x} y={layout.gilHome.y} width={layout.gilHome.w} height={layout.gilHome.h} rx={layout.gilHome.h / 2} />
            {state.gil < 0 && <GilBadge r={layout.gilHome} thread={-1} />}
          </>
        )}
      </g>
    </g>
  )
})

function StoppedOverlays({ layout, state, names }: { readonly layout: SceneLayout; readonly state: WorldState; readonly names: Names }) {
  if (state.stoppedBy < 0) return null
  return (
    <g aria-hidden="true">
      {layout.lanes.map((lane) => {
        const t = state.threads[lane.thread]
        if (t?.status !== 'stopped') return null
        const r = lane.rect
        return (
          <g key={lane.thread} className={threadClass(lane.thread)}>
            <rect className="stopped-overlay" x={r.x} y={r.y} width={r.w} height={r.h} style={{ fill: 'var(--scene-hatch)' }} />
            <text className="stopped-text" x={lane.rect.x + lane.rect.w - 16} y={lane.rect.y + 16} textAnchor="end">
              {`stopped for GC by ${names.threads[state.stoppedBy]}`}
            </text>
          </g>
        )
      })}
    </g>
  )
}

const LEGEND_DOT = (
  <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
    <circle r="5" fill="currentColor" />
  </svg>
)
const LEGEND_DIAMOND = (
  <svg width="20" height="20" viewBox="-10 -10 20 20" aria-hidden="true">
    <circle r="9" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M0,-6 L6,0 L0,6 L-6,0 Z" fill="currentColor" />
  </svg>
)

function legendLine(dash: string | undefined) {
  return (
    <svg width="34" height="10" viewBox="0 0 34 10" aria-hidden="true">
      <line x1="1" y1="5" x2="27" y2="5" stroke="currentColor" strokeWidth="2" strokeDasharray={dash} />
      <path d={dash ? 'M26,1 L33,5 L26,9 Z' : 'M25,0 L34,5 L25,10 Z'} fill={dash ? 'none' : 'currentColor'} stroke="currentColor" strokeWidth="1.2" />
    </svg>
  )
}

const Legend = memo(function Legend({ mode }: { readonly mode: Mode }) {
  const ft = mode === 'free-threaded'
  return (
    <details className="scene-legend" open>
      <summary>How to read the picture</summary>
      <ul>
        {ft && <li>Card border and tag: the owning thread (ob_tid); dashed grey: no owner (merged); double line: immortal</li>}
        {ft ? (
          <>
            <li>
              {LEGEND_DOT} owner’s plain store to ob_ref_local
            </li>
            <li>
              {LEGEND_DIAMOND} another thread’s atomic add to ob_ref_shared
            </li>
          </>
        ) : (
          <li>
            {LEGEND_DOT} plain ob_refcnt write {LEGEND_DIAMOND} atomic ob_refcnt write
          </li>
        )}
        <li>{legendLine(undefined)} counted reference</li>
        {ft && <li>{legendLine('4 3')} deferred-tagged reference (no count)</li>}
        <li>Shaded field with a bar: changed by this step</li>
      </ul>
    </details>
  )
})
