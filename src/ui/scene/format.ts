// Text of the scene: every header field, status and summary as the engine reports it. Pure
// functions, shared by the cards, the animation covers (which show a field's value before the
// step) and the text equivalents for screen readers. Nothing here computes a count or an owner:
// it only names and formats the engine's values.

import {
  GC_BITS,
  IMMORTAL_LOCAL,
  STATICALLY_ALLOCATED_FLAG,
  TID_BASE,
  TID_STRIDE,
  hex,
  rawShared,
  type CriticalSection,
  type Mode,
  type ObjectState,
  type ThreadState,
  type WorldState,
} from '../../engine'

/** The state bits of `ob_ref_shared` by their Include/refcount.h names (0 has none). */
export const SHARED_STATE_NAMES = ['DEFAULT', 'MAYBE_WEAKREF', 'QUEUED', 'MERGED'] as const

/** One row of an object card, in the order of Include/object.h's free-threaded `PyObject`. */
export type RowId = 'head' | 'tid' | 'flags' | 'mutex' | 'gc' | 'local' | 'shared' | 'refcnt' | 'items' | 'status'

/**
 * Rows per mode and their number of text lines. The GIL build has no ob_tid, no split count and
 * no ob_mutex (shown only if a scenario locks an object directly anyway).
 */
export function cardRows(mode: Mode, withMutex = true): readonly { readonly id: RowId; readonly lines: number }[] {
  if (mode === 'free-threaded') {
    return [
      { id: 'head', lines: 1 },
      { id: 'tid', lines: 1 },
      { id: 'flags', lines: 1 },
      { id: 'mutex', lines: 2 },
      { id: 'gc', lines: 1 },
      { id: 'local', lines: 1 },
      { id: 'shared', lines: 2 },
      { id: 'items', lines: 1 },
      { id: 'status', lines: 1 },
    ]
  }
  if (mode === 'gil') {
    return [
      { id: 'head', lines: 1 },
      { id: 'refcnt', lines: 1 },
      ...(withMutex ? [{ id: 'mutex' as const, lines: 2 }] : []),
      { id: 'items', lines: 1 },
      { id: 'status', lines: 1 },
    ]
  }
  return [
    { id: 'head', lines: 1 },
    { id: 'mutex', lines: 2 },
    { id: 'refcnt', lines: 1 },
    { id: 'items', lines: 1 },
    { id: 'status', lines: 1 },
  ]
}

/** The C field name shown at the left of a row. */
export const ROW_FIELD: Readonly<Record<RowId, string>> = {
  head: '',
  tid: 'ob_tid',
  flags: 'ob_flags',
  mutex: 'ob_mutex',
  gc: 'ob_gc_bits',
  local: 'ob_ref_local',
  shared: 'ob_ref_shared',
  refcnt: 'ob_refcnt',
  items: 'refs to',
  status: 'status',
}

/** Which card row shows an ObjectState field (null: not shown, e.g. bookkeeping). */
export function rowOfField(field: string, mode: Mode): RowId | null {
  switch (field) {
    case 'tid':
      return mode === 'free-threaded' ? 'tid' : null
    case 'flags':
      return mode === 'free-threaded' ? 'flags' : null
    case 'lockedBy':
    case 'waiters':
      return 'mutex'
    case 'gcBits':
      return mode === 'free-threaded' ? 'gc' : null
    case 'local':
      return mode === 'free-threaded' ? 'local' : null
    case 'shared':
    case 'state':
    case 'deferred':
      return mode === 'free-threaded' ? 'shared' : null
    case 'refcnt':
      return mode === 'free-threaded' ? null : 'refcnt'
    case 'slots':
      return 'items'
    case 'freed':
    case 'freedBy':
    case 'immortal':
      return 'status'
    case 'allocated':
    case 'address':
    case 'page':
      return 'head'
    default:
      return null
  }
}

/** Names of the threads, labels of the objects: fixed for a whole trace. */
export interface Names {
  readonly threads: readonly string[]
  readonly objects: readonly string[]
}

export function namesOf(trace: { readonly scenario: { readonly threads: readonly string[] }; readonly final: WorldState }): Names {
  return { threads: trace.scenario.threads, objects: trace.final.objects.map((o) => o.label) }
}

function threadName(names: Names, t: number): string {
  return names.threads[t] ?? `thread ${t}`
}
function objectLabel(names: Names, id: number): string {
  return names.objects[id] ?? `#${id}`
}

/** The thread an `ob_tid` value belongs to (the latest thread given that id), or -1 for none. */
export function ownerOf(w: WorldState, tid: number): number {
  if (tid === 0) return -1
  return w.tidSlots[(tid - TID_BASE) / TID_STRIDE] ?? -1
}

/** What a card needs to know besides the object record; all primitives, so cards memoise. */
export interface CardContext {
  readonly mode: Mode
  readonly names: Names
  /** Thread index named by ob_tid, or -1. */
  readonly owner: number
  /** The owner named by ob_tid has exited (its id is stale). */
  readonly ownerExited: boolean
}

export function cardContext(w: WorldState, o: ObjectState, names: Names): CardContext {
  const owner = w.mode === 'free-threaded' ? ownerOf(w, o.tid) : -1
  return { mode: w.mode, names, owner, ownerExited: owner >= 0 && w.threads[owner]?.status === 'exited' }
}

/** `ob_ref_shared` as the 64-bit word it is: binary when small, else hex (two's complement). */
export function rawSharedBits(o: ObjectState): string {
  const word = BigInt.asUintN(64, BigInt(rawShared(o)))
  if (word < 256n) return `0b${word.toString(2)}`
  const h = word.toString(16).padStart(16, '0')
  return `0x${h.slice(0, 4)}…${h.slice(-4)}`
}

export function gcBitNames(bits: number): string {
  const names: string[] = []
  for (const [name, bit] of Object.entries(GC_BITS)) if (bits & bit) names.push(name)
  return names.length ? names.join('|') : '0'
}

export function mutexBits(o: ObjectState): number {
  return (o.lockedBy >= 0 ? 1 : 0) | (o.waiters.length ? 2 : 0)
}

/** Who "owns" the object, in words: a thread, nobody (merged / unowned), or immortal. */
export function ownerText(o: ObjectState, ctx: CardContext): string {
  if (o.immortal) return 'immortal'
  if (ctx.mode !== 'free-threaded') return 'no owner (one ob_refcnt)'
  if (ctx.owner < 0) return o.state === 3 ? 'unowned (merged)' : 'unowned'
  return `${threadName(ctx.names, ctx.owner)}${ctx.ownerExited ? ' (exited)' : ''}`
}

/** The value lines of one card row (the field name is ROW_FIELD[row]). */
export function rowLines(row: RowId, o: ObjectState, ctx: CardContext): string[] {
  const names = ctx.names
  switch (row) {
    case 'head':
      return [`${o.label} · ${o.type}`]
    case 'tid':
      return [o.tid === 0 ? '0 (no owner)' : `${ownerText(o, ctx)} ${hex(o.tid)}`]
    case 'flags':
      return [o.flags & STATICALLY_ALLOCATED_FLAG ? `${hex(o.flags)} STATIC` : String(o.flags)]
    case 'mutex': {
      const bits = mutexBits(o)
      const name = bits === 0 ? 'unlocked' : bits === 1 ? 'LOCKED' : bits === 2 ? 'HAS_PARKED' : 'LOCKED|HAS_PARKED'
      const holder = o.lockedBy >= 0 ? `held by ${threadName(names, o.lockedBy)}` : 'no holder'
      const parked = o.waiters.length ? ` · parked: ${o.waiters.map((t) => threadName(names, t)).join(', ')}` : ''
      return [`${name} 0b${bits.toString(2).padStart(2, '0')}`, `${holder}${parked}`]
    }
    case 'gc':
      return [gcBitNames(o.gcBits)]
    case 'local':
      return [o.local === IMMORTAL_LOCAL ? '0xFFFFFFFF (immortal)' : String(o.local)]
    case 'shared':
      return [
        `count ${o.shared}${o.deferred ? '+bias' : ''} · ${SHARED_STATE_NAMES[o.state] ?? o.state}`,
        `raw ${rawSharedBits(o)}`,
      ]
    case 'refcnt':
      return [o.immortal ? `${o.refcnt} (immortal)` : String(o.refcnt)]
    case 'items':
      return [itemsText(o, names)]
    case 'status': {
      const gap = countGap(o, ctx.mode)
      return [gap ? `count ${gap.count}, but ${gap.refs} refs exist!` : statusText(o, names)]
    }
  }
}

/**
 * The engine's bookkeeping of references that really exist (variables, slots, queue entries, C
 * references) against the object's count: they differ only after a lost update or an unbalanced
 * Py_DECREF. Null when they agree, or for immortal and deferred objects whose count is biased.
 */
export function countGap(o: ObjectState, mode: Mode): { count: number; refs: number } | null {
  if (!o.allocated || o.freed || o.immortal || o.deferred) return null
  const count = mode === 'free-threaded' ? o.local + o.shared : o.refcnt
  return count === o.refs ? null : { count, refs: o.refs }
}

export function itemsText(o: ObjectState, names: Names): string {
  if (o.slots.length === 0) return o.type === 'list' || o.type === 'dict' || o.type === 'Queue' || o.type === 'module-dict' ? 'empty' : '—'
  return o.slots.map((s, i) => `${s.key !== undefined ? s.key : o.type === 'Queue' ? '' : i}${o.type === 'Queue' ? '' : ':'}${objectLabel(names, s.obj)}`).join(' ')
}

export function statusText(o: ObjectState, names: Names): string {
  if (!o.allocated) return 'not created yet'
  if (o.freed) return `FREED by ${threadName(names, o.freedBy)}`
  if (o.immortal) return 'IMMORTAL: never freed'
  if (o.deferred) return 'live · deferred refcount'
  return 'live'
}

/** One sentence per card for screen readers (and tooltips). */
export function objectSummary(o: ObjectState, ctx: CardContext, changed: readonly string[] = []): string {
  if (!o.allocated) return `${o.label}, ${o.type}: not created yet.`
  const parts = [`${o.label}, ${o.type} at ${hex(o.address)}`]
  if (ctx.mode === 'free-threaded') {
    parts.push(`owner ${ownerText(o, ctx)}${o.tid !== 0 ? ` (ob_tid ${hex(o.tid)})` : ''}`)
    parts.push(`ob_ref_local ${rowLines('local', o, ctx)[0]}`)
    parts.push(`ob_ref_shared ${rowLines('shared', o, ctx).join(', ')}`)
    parts.push(`gc bits ${gcBitNames(o.gcBits)}`)
  } else {
    parts.push(`ob_refcnt ${rowLines('refcnt', o, ctx)[0]}`)
  }
  parts.push(`mutex ${rowLines('mutex', o, ctx).join(', ')}`)
  if (o.slots.length) parts.push(`refers to ${itemsText(o, ctx.names)}`)
  parts.push(statusText(o, ctx.names))
  const gap = countGap(o, ctx.mode)
  if (gap) parts.push(`the count says ${gap.count} but ${gap.refs} references exist: an update was lost or a reference was dropped twice`)
  if (changed.length) parts.push(`changed in this step: ${changed.map((r) => ROW_FIELD[r as RowId] || 'created').join(', ')}`)
  return `${parts.join('; ')}.`
}

// ---------------------------------------------------------------------------------- threads

export type SectionState = 'active' | 'suspended' | 'acquiring' | 'partial'

export function sectionState(s: CriticalSection): SectionState {
  if (s.beginning) return 'acquiring'
  if (s.held === s.objs.length) return 'active'
  if (s.held === 0) return 'suspended'
  return 'partial'
}

export function sectionText(s: CriticalSection, names: Names): string {
  const objs = s.objs.map((id) => objectLabel(names, id)).join(', ')
  switch (sectionState(s)) {
    case 'active':
      return `${objs}: active (locked)`
    case 'suspended':
      return `${objs}: suspended`
    case 'acquiring':
      return `${objs}: acquiring ${s.held}/${s.objs.length}`
    case 'partial':
      return `${objs}: holds ${s.held}/${s.objs.length}`
  }
}

/** The thread's status in words: which lock it waits for, why it does not run. */
export function threadStatusText(t: ThreadState, w: WorldState, names: Names): string {
  if (!t.started) return 'not started'
  if (w.stoppedBy === t.index) return 'running the GC (world stopped)'
  switch (t.status) {
    case 'running':
      if (w.mode === 'gil') return w.gil === t.index ? 'running, holds the GIL' : 'runnable, needs the GIL'
      return 'running'
    case 'blocked': {
      const b = t.blockedOn
      if (b?.kind === 'mutex') {
        const holder = w.objects[b.obj]?.lockedBy ?? -1
        return `blocked on ${objectLabel(names, b.obj)}'s mutex${holder >= 0 ? ` (held by ${threadName(names, holder)})` : ''}`
      }
      if (b?.kind === 'gil') return 'waiting for the GIL'
      return 'blocked'
    }
    case 'detached':
      if (t.blockedOn?.kind === 'queue') return `detached: waits on ${objectLabel(names, t.blockedOn.obj)}.get()`
      return 'detached (blocking call)'
    case 'stopped':
      return `stopped for GC${w.stoppedBy >= 0 ? ` by ${threadName(names, w.stoppedBy)}` : ''}`
    case 'exited':
      return 'exited'
  }
}

export function varText(name: string, obj: number, deferred: boolean, names: Names): string {
  return `${name} → ${objectLabel(names, obj)}${deferred ? ' (tagged)' : ''}`
}

export function threadSummary(t: ThreadState, w: WorldState, names: Names): string {
  const parts = [`Thread ${t.name}${t.tid ? ` (tid ${hex(t.tid)})` : ''}: ${threadStatusText(t, w, names)}`]
  const vars = t.vars.map((v) => `${v.name} → ${objectLabel(names, v.obj)}${v.deferred ? ' (deferred-tagged, not counted)' : ' (counted)'}`)
  for (const c of t.cRefs) vars.push(`C reference → ${objectLabel(names, c)} (counted)`)
  parts.push(vars.length ? `references: ${vars.join(', ')}` : 'no references')
  if (t.sections.length) parts.push(`critical sections: ${t.sections.map((s) => sectionText(s, names)).join('; ')}`)
  if (t.directLocks.length) parts.push(`holds PyMutex ${t.directLocks.map((o) => objectLabel(names, o)).join(', ')}`)
  if (w.mode === 'free-threaded') parts.push(t.queue.length ? `merge queue: ${t.queue.map((o) => objectLabel(names, o)).join(', ')}` : 'merge queue empty')
  if (t.register) parts.push(`register holds ${objectLabel(names, t.register.obj)}'s ob_refcnt read as ${t.register.value}`)
  return `${parts.join('; ')}.`
}

/** Shortens text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, Math.max(1, max - 1))}…`
}
