// Choreography: a pure function from one engine step (its op and field writes, and the states
// before and after it) to tween descriptors. It never infers what happened from a diff of
// snapshots alone and never invents a value: every label and cover is an engine value before
// or after the step. Unit-tested without a DOM (test/ui/scene-choreography.test.tsx).

import type { StepRecord, ThreadState, WorldState } from '../../engine'
import {
  SHARED_STATE_NAMES,
  cardContext,
  rowLines,
  rowOfField,
  sectionState,
  threadStatusText,
  type Names,
  type RowId,
} from './format'
import { blockRect, rowRect, valueRect, type LaneLayout, type Rect, type SceneLayout } from './layout'
import { animationDuration, visual, type Tween } from './tween'

export interface StepInput {
  readonly step: StepRecord
  readonly before: WorldState
  readonly after: WorldState
  readonly layout: SceneLayout
  readonly names: Names
  /** Length of the whole step's animation, ms. */
  readonly duration: number
}

/** Fields that are bookkeeping of the model, not something the scene shows. */
const HIDDEN_FIELDS = new Set(['counters', 'lastWriter', 'refs', 'pc'])

const MERGE_OPS = new Set(['brc.merge', 'brc.merge-here', 'gc.merge-queued', 'gc.merge-abandoned'])

/** Whether a write to this field is a plain store or an atomic read-modify-write. */
export function writeStyle(field: string, mode: WorldState['mode']): 'plain' | 'atomic' {
  if (field === 'shared' || field === 'state') return 'atomic'
  if (field === 'refcnt') return mode === 'atomic' ? 'atomic' : 'plain'
  return 'plain'
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0'
}

/** The point a thread's tokens leave from: the right end of its name. */
function laneAnchor(lane: LaneLayout) {
  return { x: lane.name.x + lane.name.w - 14, y: lane.name.y + lane.name.h / 2 }
}

function leftMid(r: Rect) {
  return { x: r.x + 6, y: r.y + r.h / 2 }
}

/** Where the lock of `obj` sits in a thread's lane: its section slot, direct-lock slot, or name. */
function lockSlot(lane: LaneLayout, t: ThreadState | undefined, obj: number): Rect {
  if (t) {
    for (let i = t.sections.length - 1; i >= 0; i--) if (t.sections[i]!.objs.includes(obj) && lane.sections[i]) return lane.sections[i]!
    const d = t.directLocks.indexOf(obj)
    if (d >= 0 && lane.locks[d]) return lane.locks[d]!
  }
  return lane.status
}

/**
 * The tweens of one step. Timing is in fractions of `duration`: travel 0–55 %, the old value
 * fades as the traveller lands (45–75 %), rings pulse 50–100 %. Multi-stage steps (a merge)
 * stagger their stages the same way.
 */
export function choreograph(input: StepInput): Tween[] {
  const { step, before, after, layout, names } = input
  const D = Math.max(1, input.duration)
  const out: Tween[] = []
  const mode = after.mode
  const actor = layout.lanes[step.thread]
  const origin = actor ? laneAnchor(actor) : { x: 0, y: 0 }
  let n = 0
  const key = (what: string) => `${step.index}:${what}:${n++}`

  const travel = (from: { x: number; y: number }, to: { x: number; y: number }) => ({ from, to })
  const token = (style: Tween['style'], label: string, thread: number, p: ReturnType<typeof travel>, delay = 0, dur = 0.55): Tween => ({
    key: key('token'),
    kind: 'token',
    style,
    label,
    thread,
    from: visual(p.from.x, p.from.y, 1, 0, 0, 0.8),
    to: visual(p.to.x, p.to.y, 1, 0, 0, 1),
    arc: 0.18,
    delayMs: delay * D,
    durationMs: dur * D,
    ease: 'cubicInOut',
    before: 'hidden',
    after: 'hidden',
  })
  const cover = (r: Rect, lines: readonly string[], at = 0.45, variant: Tween['variant'] = 'row', label = ''): Tween => ({
    key: key('cover'),
    kind: 'cover',
    label,
    lines,
    variant,
    thread: -1,
    from: visual(r.x, r.y, 1, r.w, r.h),
    to: visual(r.x, r.y, 0, r.w, r.h),
    arc: 0,
    delayMs: at * D,
    durationMs: Math.min(0.3, 1 - at) * D,
    ease: 'quadOut',
    before: 'from',
    after: 'hidden',
  })
  const pulse = (r: Rect, thread = -1, at = 0.5, label = ''): Tween => ({
    key: key('pulse'),
    kind: 'pulse',
    label,
    thread,
    from: visual(r.x, r.y, 0.95, r.w, r.h, 1),
    to: visual(r.x, r.y, 0, r.w, r.h, 1.12),
    arc: 0,
    delayMs: at * D,
    durationMs: (1 - at) * D,
    ease: 'cubicOut',
    before: 'hidden',
    after: 'hidden',
  })
  const ghost = (fromR: Rect, toR: Rect, label: string, thread: number, delay = 0, dur = 0.55): Tween => ({
    key: key('ghost'),
    kind: 'ghost',
    label,
    thread,
    from: visual(fromR.x, fromR.y, 0.9, fromR.w, fromR.h),
    to: visual(toR.x, toR.y, 0.55, toR.w, toR.h),
    arc: 0.12,
    delayMs: delay * D,
    durationMs: dur * D,
    ease: 'cubicInOut',
    before: 'hidden',
    after: 'hidden',
  })

  // ---------------------------------------------------------------- objects
  const objectFields = new Map<number, Set<string>>()
  const threadFields = new Map<number, Set<string>>()
  const pageFields = new Map<number, Set<string>>()
  const worldFields = new Set<string>()
  for (const c of step.changes) {
    if (HIDDEN_FIELDS.has(c.field)) continue
    const bucket = c.target === 'object' ? objectFields : c.target === 'thread' ? threadFields : c.target === 'page' ? pageFields : null
    if (!bucket) {
      worldFields.add(c.field)
      continue
    }
    const set = bucket.get(c.id) ?? new Set<string>()
    set.add(c.field)
    bucket.set(c.id, set)
  }

  const merge = MERGE_OPS.has(step.op)
  for (const [id, fields] of objectFields) {
    const card = layout.cards[id]
    const o0 = before.objects[id]
    const o1 = after.objects[id]
    if (!card || !o0 || !o1) continue
    const ctx0 = cardContext(before, o0, names)
    const geo = layout.card
    const rows = new Set<RowId>()
    for (const f of fields) {
      const r = rowOfField(f, mode)
      if (r && geo.rows.some((x) => x.id === r)) rows.add(r)
    }
    if (fields.has('allocated') && o1.allocated && !o0.allocated) {
      // A new object: the card appears where the placeholder was, and the creator's write lands on it.
      out.push(cover(card, [], 0.35, 'card', 'new'))
      out.push(token('plain', 'new', step.thread, travel(origin, leftMid(valueRect(card, geo, 'head'))), 0, 0.45))
      continue
    }
    if (merge && (fields.has('local') || fields.has('shared') || fields.has('tid'))) {
      // Local folds into shared, then the owner is cleared.
      const localR = geo.rows.some((r) => r.id === 'local') ? valueRect(card, geo, 'local') : null
      const sharedR = valueRect(card, geo, 'shared')
      if (localR) out.push(token('fold', `local ${o0.local}`, step.thread, travel(leftMid(localR), leftMid(sharedR)), 0.25, 0.4))
      if (localR && rows.has('local')) out.push(cover(localR, rowLines('local', o0, ctx0), 0.25))
      if (rows.has('shared')) out.push(cover(sharedR, rowLines('shared', o0, ctx0), 0.6))
      if (rows.has('tid')) out.push(cover(valueRect(card, geo, 'tid'), rowLines('tid', o0, ctx0), 0.75))
      out.push(pulse(card, -1, 0.75, 'merged'))
      rows.delete('local')
      rows.delete('shared')
      rows.delete('tid')
    }
    for (const row of ['local', 'shared', 'refcnt'] as const) {
      if (!rows.has(row)) continue
      const target = leftMid(valueRect(card, geo, row))
      const unsafeWrite = step.op === 'incref.write' || step.op === 'decref.write'
      let label: string
      if (row === 'shared') {
        const d = o1.shared - o0.shared
        const stateChanged = o1.state !== o0.state
        label = d !== 0 ? signed(d) : ''
        if (stateChanged) label = `${label ? `${label}, ` : ''}state → ${SHARED_STATE_NAMES[o1.state]}`
      } else if (row === 'local') {
        label = signed(o1.local - o0.local)
      } else {
        label = unsafeWrite ? `write ${o1.refcnt}` : signed(o1.refcnt - o0.refcnt)
      }
      const from = unsafeWrite && actor?.register ? leftMid(actor.register) : origin
      const style = unsafeWrite ? 'write' : writeStyle(row === 'shared' ? 'shared' : row, mode)
      // Say how (a plain store or an atomic instruction) and, in the free-threaded build, why:
      // the owner writes its own field, everyone else the shared one.
      if (style === 'atomic') label = label.replace(/^([+−±]\d+)?/, (m) => (m ? `${m} atomic` : 'atomic '))
      if (row === 'local') label += ' (owner)'
      else if (row === 'shared' && ctx0.owner !== step.thread) label += ' (not owner)'
      out.push(token(style, label, step.thread, travel(from, target)))
      out.push(cover(valueRect(card, geo, row), rowLines(row, o0, ctx0)))
      rows.delete(row)
    }
    if (rows.has('mutex')) {
      const mrect = valueRect(card, geo, 'mutex')
      if (o0.lockedBy !== o1.lockedBy) {
        const fromLane = o0.lockedBy >= 0 ? layout.lanes[o0.lockedBy] : undefined
        const toLane = o1.lockedBy >= 0 ? layout.lanes[o1.lockedBy] : undefined
        const fromR = fromLane ? lockSlot(fromLane, before.threads[o0.lockedBy], id) : mrect
        const toR = toLane ? lockSlot(toLane, after.threads[o1.lockedBy], id) : mrect
        out.push({
          key: key('lock'),
          kind: 'lock',
          label: o1.label,
          thread: o1.lockedBy >= 0 ? o1.lockedBy : o0.lockedBy,
          from: visual(leftMid(fromR).x, leftMid(fromR).y, 1),
          to: visual(leftMid(toR).x, leftMid(toR).y, 1),
          arc: 0.15,
          delayMs: 0,
          durationMs: 0.55 * D,
          ease: 'cubicInOut',
          before: 'hidden',
          after: 'hidden',
        })
      }
      const parked = o1.waiters.filter((t) => !o0.waiters.includes(t))
      for (const t of parked) {
        const lane = layout.lanes[t]
        if (!lane) continue
        const c = { x: lane.status.x + lane.status.w - 40, y: lane.status.y + lane.status.h / 2 }
        out.push({
          key: key('zzz'),
          kind: 'zzz',
          label: 'zzz',
          thread: t,
          from: visual(c.x, c.y + 4, 1, 0, 0, 0.8),
          to: visual(c.x + 10, c.y - 16, 0.2, 0, 0, 1.3),
          arc: 0,
          delayMs: 0.3 * D,
          durationMs: 0.7 * D,
          ease: 'sinInOut',
          before: 'hidden',
          after: 'to',
        })
      }
      out.push(cover(mrect, rowLines('mutex', o0, ctx0)))
      rows.delete('mutex')
    }
    if (rows.has('items')) {
      const before0 = new Set(o0.slots.map((s) => `${s.key ?? ''}\u0000${s.obj}`))
      const added = o1.slots.filter((s) => !before0.has(`${s.key ?? ''}\u0000${s.obj}`))
      const ir = valueRect(card, geo, 'items')
      if (added.length && step.op !== 'dealloc' && step.op !== 'gc.free') {
        const label = `+${added.map((s) => (s.key !== undefined ? `${s.key}:` : '') + (names.objects[s.obj] ?? '?')).join(' ')}`
        out.push(token('item', label, step.thread, travel(origin, leftMid(ir))))
      } else if (o1.slots.length < o0.slots.length && step.op !== 'dealloc' && step.op !== 'gc.free') {
        const after1 = new Set(o1.slots.map((s) => `${s.key ?? ''}\u0000${s.obj}`))
        const removed = o0.slots.filter((s) => !after1.has(`${s.key ?? ''}\u0000${s.obj}`))
        const label = `−${removed.map((s) => names.objects[s.obj] ?? '?').join(' ')}`
        out.push(token('item', label, step.thread, travel(leftMid(ir), origin)))
      }
      out.push(cover(ir, rowLines('items', o0, ctx0)))
      rows.delete('items')
    }
    if (fields.has('freed') && o1.freed && !o0.freed) {
      const block = blockRect(layout, after.pages, id, o1.page)
      if (block) out.push(ghost(card, block, 'free', o1.freedBy, 0.05, 0.6))
      out.push(cover(valueRect(card, geo, 'status'), rowLines('status', o0, ctx0), 0.3))
      rows.delete('status')
    }
    for (const row of rows) {
      if (row === 'head') continue
      out.push(cover(valueRect(card, geo, row), rowLines(row, o0, ctx0)))
      out.push(pulse(rowRect(card, geo, row), step.thread))
    }
  }

  // ---------------------------------------------------------------- threads
  for (const [tid, fields] of threadFields) {
    const lane = layout.lanes[tid]
    const t0 = before.threads[tid]
    const t1 = after.threads[tid]
    if (!lane || !t0 || !t1) continue
    if (fields.has('queue')) {
      const added = t1.queue.filter((o) => !t0.queue.includes(o))
      const removed = t0.queue.filter((o) => !t1.queue.includes(o))
      for (const obj of added) {
        const card = layout.cards[obj]
        const slot = lane.queue[t1.queue.indexOf(obj)] ?? lane.queue[lane.queue.length - 1]
        if (card && slot) out.push(ghost(card, slot, names.objects[obj] ?? '?', tid))
        if (slot) out.push(pulse(slot, tid, 0.5, 'queued'))
      }
      for (const obj of removed) {
        const card = layout.cards[obj]
        const slot = lane.queue[t0.queue.indexOf(obj)]
        if (card && slot) out.push(ghost(slot, card, names.objects[obj] ?? '?', tid, 0, 0.4))
      }
    }
    if (fields.has('sections')) {
      const len = Math.max(t0.sections.length, t1.sections.length)
      for (let i = 0; i < len; i++) {
        const a = t0.sections[i]
        const b = t1.sections[i]
        const slot = lane.sections[i]
        if (!slot || a === b) continue
        let label: string
        if (!a) label = 'begin'
        else if (!b) label = 'end'
        else {
          const sa = sectionState(a)
          const sb = sectionState(b)
          label = sa === sb ? sb : sb === 'suspended' ? 'suspended' : sa === 'suspended' ? 'resuming' : sb
        }
        out.push(pulse(slot, tid, 0.45, label))
      }
    }
    if (fields.has('status') || fields.has('blockedOn') || fields.has('started')) {
      out.push(cover(lane.status, [threadStatusText(t0, before, names)], 0.4, 'status'))
      out.push(pulse(lane.status, tid, 0.5))
      if ((t1.status === 'detached' || t1.status === 'blocked') && t0.status !== t1.status && !step.changes.some((c) => c.field === 'waiters')) {
        const c = { x: lane.status.x + lane.status.w - 40, y: lane.status.y + lane.status.h / 2 }
        out.push({
          key: key('zzz'),
          kind: 'zzz',
          label: 'zzz',
          thread: tid,
          from: visual(c.x, c.y + 4, 1, 0, 0, 0.8),
          to: visual(c.x + 10, c.y - 16, 0.2, 0, 0, 1.3),
          arc: 0,
          delayMs: 0.3 * D,
          durationMs: 0.7 * D,
          ease: 'sinInOut',
          before: 'hidden',
          after: 'to',
        })
      }
    }
    if (fields.has('vars') || fields.has('cRefs')) {
      const old = new Map(t0.vars.map((v) => [v.name, v]))
      t1.vars.forEach((v, i) => {
        const o = old.get(v.name)
        if (!o || o.obj !== v.obj || o.deferred !== v.deferred) {
          const slot = lane.vars[i]
          if (slot) out.push(pulse(slot, tid, 0.45))
        }
      })
      if (fields.has('cRefs')) {
        const slot = lane.vars[t1.vars.length + t1.cRefs.length - 1]
        if (slot && t1.cRefs.length > t0.cRefs.length) out.push(pulse(slot, tid, 0.45))
      }
    }
    if (fields.has('register') && lane.register) {
      if (t1.register && !t0.register) {
        const card = layout.cards[t1.register.obj]
        if (card) out.push(token('read', `read ${t1.register.value}`, tid, travel(leftMid(valueRect(card, layout.card, 'refcnt')), leftMid(lane.register))))
      }
      out.push(pulse(lane.register, tid, 0.5))
    }
    if (fields.has('directLocks')) {
      t1.directLocks.forEach((_, i) => {
        const slot = lane.locks[i]
        if (slot && t0.directLocks[i] !== t1.directLocks[i]) out.push(pulse(slot, tid, 0.5))
      })
    }
    if (fields.has('tid')) out.push(pulse(lane.name, tid, 0.3, 'started'))
  }

  // ---------------------------------------------------------------- heap pages
  for (const [pid, fields] of pageFields) {
    const p0 = before.pages[pid]
    const p1 = after.pages[pid]
    const bl = layout.blocks[pid]
    if (!p1 || !bl) continue
    const fresh = (list: readonly number[], old: readonly number[] | undefined) => list.filter((x) => !(old ?? []).includes(x))
    const touched = new Set<number>([
      ...(fields.has('freeList') ? fresh(p1.freeList, p0?.freeList) : []),
      ...(fields.has('threadFreeList') ? fresh(p1.threadFreeList, p0?.threadFreeList) : []),
      ...(fields.has('blocks') || fields.has('*') ? fresh(p1.blocks, p0?.blocks) : []),
    ])
    for (const obj of touched) {
      const i = p1.blocks.indexOf(obj)
      const r = bl[i]
      if (r) out.push(pulse(r, step.thread, 0.55))
    }
  }

  // ---------------------------------------------------------------- the world
  if (worldFields.has('gil')) {
    const spot = (holder: number): Rect | null => (holder >= 0 ? (layout.lanes[holder]?.gil ?? null) : layout.gilHome)
    const a = spot(before.gil)
    const b = spot(after.gil)
    if (a && b) {
      out.push({
        key: key('gil'),
        kind: 'gil',
        label: 'GIL',
        thread: after.gil >= 0 ? after.gil : before.gil,
        from: visual(a.x, a.y, 1, a.w, a.h),
        to: visual(b.x, b.y, 1, b.w, b.h),
        arc: 0.1,
        delayMs: 0,
        durationMs: 0.6 * D,
        ease: 'cubicInOut',
        before: 'from',
        after: 'hidden',
      })
    }
  }
  if (worldFields.has('stoppedBy')) {
    const stopping = after.stoppedBy >= 0
    const first = layout.lanes[0]?.rect
    const last = layout.lanes[layout.lanes.length - 1]?.rect
    if (first && last) {
      const top = first.y
      const bottom = last.y + last.h
      const band = 26
      out.push({
        key: key('sweep'),
        kind: 'sweep',
        label: stopping ? 'stop the world' : 'start the world',
        thread: stopping ? after.stoppedBy : before.stoppedBy,
        from: visual(0, stopping ? top : bottom - band, 0.9, layout.width, band),
        to: visual(0, stopping ? bottom - band : top, 0.9, layout.width, band),
        arc: 0,
        delayMs: 0,
        durationMs: 0.8 * D,
        ease: 'cubicInOut',
        before: 'hidden',
        after: 'hidden',
      })
    }
    out.push(pulse(layout.banner, -1, 0.6))
  }
  return out
}

/** The props that decide whether a move animates (see SceneProps). */
export interface MoveInput {
  readonly position: number
  readonly previousPosition: number
  readonly reducedMotion: boolean
  readonly speed: number
}

/** Only a move of exactly +1 without reduced motion animates; anything else snaps. */
export function shouldAnimate(m: MoveInput, length: number): boolean {
  return !m.reducedMotion && m.position === m.previousPosition + 1 && m.position >= 1 && m.position <= length
}

/** The tweens for a move: none when it snaps. `stateAt` must be called before-then-after. */
export function planAnimation(
  trace: { readonly steps: readonly StepRecord[]; stateAt(p: number): WorldState },
  move: MoveInput,
  layout: SceneLayout,
  names: Names,
): Tween[] {
  if (!shouldAnimate(move, trace.steps.length)) return []
  const step = trace.steps[move.position - 1]!
  const before = trace.stateAt(move.position - 1)
  const after = trace.stateAt(move.position)
  return choreograph({ step, before, after, layout, names, duration: animationDuration(move.speed) })
}
