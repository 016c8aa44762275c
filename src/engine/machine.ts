// The interpreter: runs a scenario's statements as micro-steps, following free-threaded CPython
// 3.14 (see ../shared/spec/model.md and cpython-3.14-ground-truth.md). Each micro-step is one
// atomic action of the model and is recorded with the field writes it made.
//
// The world is mutated in place while running (fast); every write goes through `set*`, which
// records a Change, so the trace can rebuild any state from a checkpoint.

import type { Arg, Expr, Key, LockArg, Scenario, ScheduleSpec, Statement, Target } from './ast'
import { COST } from './cost'
import { FIELD, fieldId, Recording } from './log'


import {
  GC_BITS,
  IMMORTAL_LOCAL,
  IMMORTAL_REFCNT,
  REF_STATE,
  STATICALLY_ALLOCATED_FLAG,
  type BlockReason,
  type Counters,
  type CriticalSection,
  type Mode,
  type ObjectState,
  type PageState,
  type Slot,
  type ThreadState,
  type Variable,
  type Violation,
  type WorldState,
} from './types'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
export type MObject = Mutable<ObjectState>
export type MThread = Mutable<ThreadState>
export type MPage = Mutable<PageState>
export type MWorld = Mutable<Omit<WorldState, 'objects' | 'threads' | 'pages'>> & {
  objects: MObject[]
  threads: MThread[]
  pages: MPage[]
}

/** Blocks per heap page: small, so that pages show up in small scenarios. */
export const PAGE_BLOCKS = 4
const HEAP_BASE = 0x7f3a_0000_0000
const BLOCK_SIZE = 0x40
const STATIC_BASE = 0x5600_0000_0000
/** Thread ids look like the TCB addresses glibc hands out (ob_tid == threading.get_ident()). */
export const TID_BASE = 0x7f3b_0000_0000
export const TID_STRIDE = 0x80_0000
const { default: S_DEFAULT, weakref: S_WEAKREF, queued: S_QUEUED, merged: S_MERGED } = REF_STATE

const ZERO_COUNTERS: Counters = { plainWrites: 0, atomicOps: 0, cacheLineTransfers: 0, lockAcquisitions: 0, contendedWaits: 0, cycles: 0 }

/** Pending micro-operations of a thread. Plain data, so a running machine can be copied. */
type Op =
  /** A statement to run from a phase, packed as statement index * 256 + phase (no object). */
  | number
  | { k: 'incref'; obj: number; c?: 'cref' | 'tmp' }
  | { k: 'decref'; obj: number; c?: 'cref' | 'drop' }
  | { k: 'unsafe-write'; obj: number; delta: 1 | -1 }
  | { k: 'merge-zero'; obj: number }
  | { k: 'queue-push'; obj: number }
  | { k: 'dealloc'; obj: number; gc?: boolean }
  | { k: 'merge'; obj: number }
  | { k: 'cs-begin'; objs: number[]; internal: boolean }
  | { k: 'cs-acquire' }
  | { k: 'cs-end'; internal: boolean }
  | { k: 'attach' }
  | { k: 'gc-merge-queued'; obj: number; owner: number }
  | { k: 'gc-merge-abandoned'; obj: number }
  | { k: 'gc-stopped' }
  | { k: 'gc-find' }
  | { k: 'gc-restart' }
  | { k: 'gc-end' }
  | { k: 'gc-free'; obj: number; garbage: number[] }
  | { k: 'exit-drop'; name: string }
  | { k: 'exit-drain' }

// Ops are plain data and never mutated, so one record per (kind, object) serves every push:
// no allocation per micro-step. Kinds of the cached records with an object:
const DECREF_DROP = 0
const DECREF = 1
const INCREF = 2
const DEALLOC = 3
const MERGE_ZERO = 4
const QUEUE_PUSH = 5
const UNSAFE_INC = 6
const UNSAFE_DEC = 7
const MAKE_OP: readonly ((obj: number) => Op)[] = [
  (obj: number): Op => ({ k: 'decref', obj, c: 'drop' }),
  (obj: number): Op => ({ k: 'decref', obj }),
  (obj: number): Op => ({ k: 'incref', obj }),
  (obj: number): Op => ({ k: 'dealloc', obj }),
  (obj: number): Op => ({ k: 'merge-zero', obj }),
  (obj: number): Op => ({ k: 'queue-push', obj }),
  (obj: number): Op => ({ k: 'unsafe-write', obj, delta: 1 }),
  (obj: number): Op => ({ k: 'unsafe-write', obj, delta: -1 }),
]
const OP_ATTACH: Op = Object.freeze({ k: 'attach' })
const OP_EXIT_DRAIN: Op = Object.freeze({ k: 'exit-drain' })
const OP_CS_ACQUIRE: Op = Object.freeze({ k: 'cs-acquire' })
const OP_GC_FIND: Op = Object.freeze({ k: 'gc-find' })
const OP_GC_STOPPED: Op = Object.freeze({ k: 'gc-stopped' })
const OP_GC_RESTART: Op = Object.freeze({ k: 'gc-restart' })
const OP_GC_END: Op = Object.freeze({ k: 'gc-end' })

export interface Runtime {
  ops: Op[]
  /** The reference a statement is carrying between its micro-steps (a value on the eval stack). */
  tmp: number
  tmpDeferred: boolean
  /** One entry per BEGIN that has not ended: false for a no-op re-entry. */
  csMarks: boolean[]
  /** gil mode: statements run since this thread took the GIL. */
  gilStatements: number
  /** Objects that a GC run by this thread merged to zero, freed after the world restarts. */
  gcZeroed: number[]
  /** True between the start and the end of a statement. */
  inStmt: boolean
  /** gil mode: this thread asked for the GIL and the holder dropped it. */
  waitedForGil: boolean
}


// New array values for recorded fields. Every one is kept (in the change log, and as the state
// that replay hands out), so each is built with exactly its length: a spread or a filter plus
// push leaves up to 20 spare slots in the array's storage. Each returns a new array, always.

/** arr with x appended. */
function append<T>(arr: readonly T[], x: T): T[] {
  return arr.concat([x])
}
/** arr with its last element replaced by x. */
function replaceLast<T>(arr: readonly T[], x: T): T[] {
  const out = arr.slice()
  out[out.length - 1] = x
  return out
}
/** arr without the element at index i. */
function withoutIndex<T>(arr: readonly T[], i: number): T[] {
  return keepWhere(arr, (_, j) => j !== i)
}
/** The elements of arr for which keep() is true (Array.prototype.filter, exactly sized). */
function keepWhere<T>(arr: readonly T[], keep: (x: T, i: number) => boolean): T[] {
  const out = arr.slice()
  let n = 0
  for (let i = 0; i < arr.length; i++) if (keep(arr[i]!, i)) out[n++] = arr[i]!
  out.length = n
  return out
}

/** The binding of `name`, if any (Array.prototype.find without a closure). */
function findVar(vars: readonly Variable[], name: string): Variable | undefined {
  for (let i = 0; i < vars.length; i++) if (vars[i]!.name === name) return vars[i]
  return undefined
}
/**
 * A thread's variables are read-only arrays that the trace keeps (in its change log and in the
 * states it hands out). Every distinct list of bindings is built once and shared: a trie from
 * the empty list, one edge per binding appended, so a long run that binds and deletes the same
 * few names over and over keeps a handful of arrays alive instead of one per statement.
 */
interface BindingNode {
  readonly list: readonly Variable[]
  readonly next: Map<Variable, BindingNode>
}
class BindingLists {
  private readonly root: BindingNode = { list: [], next: new Map() }
  private child(node: BindingNode, v: Variable): BindingNode {
    let next = node.next.get(v)
    if (!next) {
      next = { list: node.list.concat([v]), next: new Map() }
      node.next.set(v, next)
    }
    return next
  }
  /** vars without any binding of v.name, then v: a thread's variables after a store. */
  rebind(vars: readonly Variable[], v: Variable): Variable[] {
    let node = this.root
    for (let i = 0; i < vars.length; i++) if (vars[i]!.name !== v.name) node = this.child(node, vars[i]!)
    return this.child(node, v).list as Variable[]
  }
  /** vars without the binding of `name`. */
  unbind(vars: readonly Variable[], name: string): Variable[] {
    let node = this.root
    for (let i = 0; i < vars.length; i++) if (vars[i]!.name !== name) node = this.child(node, vars[i]!)
    return node.list as Variable[]
  }
}

export interface MachineSnapshot {
  readonly w: MWorld
  readonly rt: Runtime[]
}
// Record copies (checkpoints, saved states) are written out field by field, in the order the
// constructor creates them: every copy gets the constructor's hidden class, so the code that
// reads them stays fast, and the order is also the order of their JSON keys.
export function copyObject(o: ObjectState): MObject {
  return {
    id: o.id, label: o.label, type: o.type, address: o.address, page: o.page, tid: o.tid, flags: o.flags, gcBits: o.gcBits,
    local: o.local, shared: o.shared, state: o.state, refcnt: o.refcnt, immortal: o.immortal, deferred: o.deferred,
    lockedBy: o.lockedBy, waiters: o.waiters, slots: o.slots, freed: o.freed, freedBy: o.freedBy, refs: o.refs,
    lastWriter: o.lastWriter, allocated: o.allocated,
  }
}
function copyCounters(c: Counters): Counters {
  return { plainWrites: c.plainWrites, atomicOps: c.atomicOps, cacheLineTransfers: c.cacheLineTransfers, lockAcquisitions: c.lockAcquisitions, contendedWaits: c.contendedWaits, cycles: c.cycles }
}
export function copyThread(t: ThreadState): MThread {
  return {
    index: t.index, name: t.name, tid: t.tid, started: t.started, status: t.status, blockedOn: t.blockedOn, vars: t.vars,
    cRefs: t.cRefs, sections: t.sections, directLocks: t.directLocks, queue: t.queue, register: t.register, pc: t.pc,
    counters: copyCounters(t.counters),
  }
}
export function copyPage(p: PageState): MPage {
  return { id: p.id, owner: p.owner, blocks: p.blocks, freeList: p.freeList, threadFreeList: p.threadFreeList }
}
/**
 * Array.prototype.map, always giving a packed array. V8's map sometimes falls back to building a
 * holey array, whose other hidden class sends optimised code that has only seen packed ones back
 * to the interpreter.
 */
function packed<T, U>(items: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = []
  for (let i = 0; i < items.length; i++) out.push(f(items[i]!, i))
  return out
}
function worldWith(w: WorldState | MWorld, objects: MObject[], threads: MThread[], pages: MPage[]): MWorld {
  return {
    mode: w.mode, objects, threads, pages, gil: w.gil, stoppedBy: w.stoppedBy, stopping: w.stopping, collecting: w.collecting,
    nextAddress: w.nextAddress, tidSlots: w.tidSlots, freeTidSlots: w.freeTidSlots,
  }
}
// In-place versions for Machine.restore. A field is written only when it differs, and the fields
// a record never changes (id, label, type, immortal; index, name) not at all: V8 treats a field
// no code has written since construction as constant, and the first write to it throws away
// every optimised function that relied on that (the whole machine, in the middle of a seek).
function assignObject(o: MObject, from: ObjectState) {
  if (o.address !== from.address) o.address = from.address
  if (o.page !== from.page) o.page = from.page
  if (o.tid !== from.tid) o.tid = from.tid
  if (o.flags !== from.flags) o.flags = from.flags
  if (o.gcBits !== from.gcBits) o.gcBits = from.gcBits
  if (o.local !== from.local) o.local = from.local
  if (o.shared !== from.shared) o.shared = from.shared
  if (o.state !== from.state) o.state = from.state
  if (o.refcnt !== from.refcnt) o.refcnt = from.refcnt
  if (o.deferred !== from.deferred) o.deferred = from.deferred
  if (o.lockedBy !== from.lockedBy) o.lockedBy = from.lockedBy
  if (o.waiters !== from.waiters) o.waiters = from.waiters
  if (o.slots !== from.slots) o.slots = from.slots
  if (o.freed !== from.freed) o.freed = from.freed
  if (o.freedBy !== from.freedBy) o.freedBy = from.freedBy
  if (o.refs !== from.refs) o.refs = from.refs
  if (o.lastWriter !== from.lastWriter) o.lastWriter = from.lastWriter
  if (o.allocated !== from.allocated) o.allocated = from.allocated
}
function assignThread(t: MThread, from: ThreadState) {
  if (t.tid !== from.tid) t.tid = from.tid
  if (t.started !== from.started) t.started = from.started
  if (t.status !== from.status) t.status = from.status
  if (t.blockedOn !== from.blockedOn) t.blockedOn = from.blockedOn
  if (t.vars !== from.vars) t.vars = from.vars
  if (t.cRefs !== from.cRefs) t.cRefs = from.cRefs
  if (t.sections !== from.sections) t.sections = from.sections
  if (t.directLocks !== from.directLocks) t.directLocks = from.directLocks
  if (t.queue !== from.queue) t.queue = from.queue
  if (t.register !== from.register) t.register = from.register
  if (t.pc !== from.pc) t.pc = from.pc
  const c = t.counters as Mutable<Counters>
  const f = from.counters
  if (c.plainWrites !== f.plainWrites) c.plainWrites = f.plainWrites
  if (c.atomicOps !== f.atomicOps) c.atomicOps = f.atomicOps
  if (c.cacheLineTransfers !== f.cacheLineTransfers) c.cacheLineTransfers = f.cacheLineTransfers
  if (c.lockAcquisitions !== f.lockAcquisitions) c.lockAcquisitions = f.lockAcquisitions
  if (c.contendedWaits !== f.contendedWaits) c.contendedWaits = f.contendedWaits
  if (c.cycles !== f.cycles) c.cycles = f.cycles
}
function assignPage(p: MPage, from: PageState) {
  if (p.owner !== from.owner) p.owner = from.owner
  if (p.blocks !== from.blocks) p.blocks = from.blocks
  if (p.freeList !== from.freeList) p.freeList = from.freeList
  if (p.threadFreeList !== from.threadFreeList) p.threadFreeList = from.threadFreeList
}
function assignArray<T>(to: T[], from: readonly T[]) {
  if (to.length === 0 && from.length === 0) return
  to.length = 0
  for (let i = 0; i < from.length; i++) to.push(from[i]!)
}
function assignRuntime(r: Runtime, from: Runtime) {
  assignArray(r.ops, from.ops)
  if (r.tmp !== from.tmp) r.tmp = from.tmp
  if (r.tmpDeferred !== from.tmpDeferred) r.tmpDeferred = from.tmpDeferred
  assignArray(r.csMarks, from.csMarks)
  if (r.gilStatements !== from.gilStatements) r.gilStatements = from.gilStatements
  assignArray(r.gcZeroed, from.gcZeroed)
  if (r.inStmt !== from.inStmt) r.inStmt = from.inStmt
  if (r.waitedForGil !== from.waitedForGil) r.waitedForGil = from.waitedForGil
}
/** A mutable copy of a world: every record copied, the read-only values inside them shared. */
export function copyWorld(w: WorldState | MWorld): MWorld {
  return worldWith(w, packed(w.objects, copyObject), packed(w.threads, copyThread), packed(w.pages, copyPage))
}
function newRuntime(ops: Op[], tmp: number, tmpDeferred: boolean, csMarks: boolean[], gilStatements: number, gcZeroed: number[], inStmt: boolean, waitedForGil: boolean): Runtime {
  return { ops, tmp, tmpDeferred, csMarks, gilStatements, gcZeroed, inStmt, waitedForGil }
}
const NO_OPS: Op[] = []
const NO_MARKS: boolean[] = []
const NO_IDS: number[] = []
/** Runtimes to keep (checkpoints, saved states): never run on, so empty arrays are shared. */
export function storeRuntime(rt: readonly Runtime[]): Runtime[] {
  return packed(rt, (r) =>
    newRuntime(
      r.ops.length ? r.ops.slice() : NO_OPS,
      r.tmp,
      r.tmpDeferred,
      r.csMarks.length ? r.csMarks.slice() : NO_MARKS,
      r.gilStatements,
      r.gcZeroed.length ? r.gcZeroed.slice() : NO_IDS,
      r.inStmt,
      r.waitedForGil,
    ),
  )
}

/** A critical-section record (read-only), always built here: one shape, fields in one order. */
function section(objs: readonly number[], held: number, beginning: boolean, resuming: boolean, line: number): CriticalSection {
  return { objs, held, beginning, resuming, line }
}

/**
 * Per scenario (computed once, read-only): the line of each statement of each thread's program,
 * and per statement its line and whether it binds a variable. Statements are records of many
 * shapes, so reading `line` or `k` from any statement is slow in V8; these arrays are not.
 */
interface StatementTables {
  readonly programLines: readonly Int32Array[]
  readonly line: Int32Array
  readonly bindsVariable: Uint8Array
}
const STATEMENT_TABLES = new WeakMap<Scenario, StatementTables>()
function statementTables(sc: Scenario): StatementTables {
  let tables = STATEMENT_TABLES.get(sc)
  if (!tables) {
    const line = new Int32Array(sc.statements.length)
    const bindsVariable = new Uint8Array(sc.statements.length)
    sc.statements.forEach((s, i) => {
      line[i] = s.line
      bindsVariable[i] = s.k === 'assign' && s.target.k === 'var' ? 1 : 0
    })
    // A plain loop: Int32Array.from with a map function is very slow in V8.
    const programLines = sc.programs.map((program) => {
      const lines = new Int32Array(program.length)
      for (let i = 0; i < program.length; i++) lines[i] = line[program[i]!]!
      return lines
    })
    tables = { programLines, line, bindsVariable }
    STATEMENT_TABLES.set(sc, tables)
  }
  return tables
}

export class RuntimeError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message)
  }
}

export class Machine {
  readonly w: MWorld
  readonly rt: Runtime[]
  /** Everything recorded: changes, micro-steps, narration (see log.ts). */
  readonly log = new Recording()
  /**
   * False: a quiet run, which only changes the state (no change log, no narration). runScenario
   * runs quietly and keeps checkpoints; the trace re-runs with recording on when details are
   * asked for, so both runs must take exactly the same decisions (nothing here may depend on it).
   */
  recording = true
  /** Micro-steps run quietly since the machine was made. */
  private quietSteps = 0
  /** Where the current micro-step's changes start in the log. */
  private microStart = 0
  /** Objects written since the last checkpoint. */
  private dirty: Uint8Array = new Uint8Array(0)
  /** Threads written (fields or counters) since the last checkpoint. */
  private dirtyThreads = new Uint8Array(0)
  /** Pages written or created since the last checkpoint (by index). */
  private dirtyPages: boolean[] = []
  /** Statement lines and kinds, per scenario (hot in the scheduler and in every step). */
  private readonly tables: StatementTables
  readonly violations: Violation[] = []
  /** Thread whose micro-step is running. */
  private cur = 0
  private curLine = 0
  readonly mode: Mode
  readonly ft: boolean
  private emitted = false
  private folding = false

  constructor(readonly sc: Scenario, mode: Mode) {
    this.mode = mode
    this.ft = mode === 'free-threaded'
    this.tables = statementTables(sc)
    this.rt = packed(sc.threads, () => newRuntime([], -1, false, [], 0, [], false, false))
    const threads: MThread[] = packed(sc.threads, (name, index) => ({
      index,
      name,
      tid: 0,
      started: false,
      status: 'running',
      blockedOn: null,
      vars: [],
      cRefs: [],
      sections: [],
      directLocks: [],
      queue: [],
      register: null,
      pc: 0,
      counters: copyCounters(ZERO_COUNTERS),
    }))
    this.w = {
      mode,
      objects: [],
      threads,
      pages: [],
      gil: -1,
      stoppedBy: -1,
      stopping: [],
      collecting: -1,
      nextAddress: HEAP_BASE,
      tidSlots: [],
      freeTidSlots: [],
    }
    // main is running when the scenario starts; it owns the module dict G.
    this.startThreadSilently(0)
    if (mode === 'gil') this.w.gil = 0
    let staticAddress = STATIC_BASE
    for (const decl of sc.objects) {
      const o: MObject = {
        id: decl.id,
        label: decl.label,
        type: decl.type,
        address: 0,
        page: -1,
        tid: 0,
        flags: 0,
        gcBits: 0,
        local: 0,
        shared: 0,
        state: S_DEFAULT,
        refcnt: 0,
        immortal: decl.immortal,
        deferred: false,
        lockedBy: -1,
        waiters: [],
        slots: [],
        freed: false,
        freedBy: -1,
        refs: 0,
        lastWriter: -1,
        allocated: false,
      }
      if (decl.immortal) {
        // Statically allocated or interned: immortal from the start (Include/refcount.h).
        o.address = staticAddress
        staticAddress += BLOCK_SIZE
        o.local = IMMORTAL_LOCAL
        o.refcnt = IMMORTAL_REFCNT
        o.allocated = true
        const isStatic = decl.type !== 'str'
        o.flags = isStatic ? STATICALLY_ALLOCATED_FLAG : 0
        // _PyObject_HEAD_INIT and _Py_SetImmortalUntracked set DEFERRED; the public static
        // initializer used by True/False does not (ground truth §7.3).
        o.gcBits = decl.type === 'bool' ? 0 : GC_BITS.DEFERRED
      }
      this.w.objects.push(o)
    }
    // G: the module's globals dict, owned by main, deferred, held by the module object.
    const g = this.w.objects[0]!
    this.placeOnHeap(g, 0)
    this.initHeader(g, 0)
    if (this.ft) {
      g.gcBits = GC_BITS.TRACKED | GC_BITS.DEFERRED
      g.deferred = true
    }
    g.refs = 1
    // Setting up the initial world is not a micro-step.
    this.resetLog()
    this.dirty = new Uint8Array(this.w.objects.length)
    this.dirtyThreads = new Uint8Array(this.w.threads.length)
  }

  // ------------------------------------------------------------------ recording

  /** target: 0 object, 1 thread, 2 page, 3 world. */
  private rec(target: number, id: number, field: string, old: unknown, value: unknown) {
    if (!this.recording) return
    this.log.push(target, id, FIELD[field] ?? fieldId(field), old, value, this.cur)
  }
  private resetLog() {
    this.log.clear()
  }
  /** Number of micro-steps recorded so far. */
  get stepCount(): number {
    return this.recording ? this.log.stepCount : this.quietSteps
  }
  setO<K extends keyof MObject>(o: MObject, field: K, value: MObject[K]) {
    if (o[field] === value) return
    this.rec(0, o.id, field, o[field], value)
    o[field] = value
    this.dirty[o.id] = 1
  }

  /**
   * The current state for a reader (Trace.stateAt): checkpoint's result, built at other
   * allocation sites. V8 learns that what checkpoint allocates lives long and starts allocating
   * it straight in the old generation; states read once and dropped would then pile up there
   * and keep young objects alive through every minor collection (pauses of several ms).
   */
  stateFor(previous: WorldState): WorldState {
    const objects = this.w.objects.map((o, i) => (this.dirty[i] ? { ...o } : previous.objects[i]!))
    this.dirty.fill(0)
    const pages = this.w.pages.map((p, i) => (i < previous.pages.length && !this.dirtyPages[i] ? previous.pages[i]! : { ...p }))
    this.dirtyPages = []
    const threads = this.w.threads.map((t, i) => (this.dirtyThreads[i] ? { ...t, counters: { ...t.counters } } : previous.threads[i]!))
    this.dirtyThreads.fill(0)
    return { ...this.w, objects, threads, pages }
  }
  /**
   * A copy of the world for a checkpoint. Records not written since `previous` was taken are
   * shared with it, so checkpoints cost memory only for what changed.
   */
  checkpoint(previous: WorldState | null): WorldState {
    const objects = packed(this.w.objects, (o, i) => (previous && !this.dirty[i] ? previous.objects[i]! : copyObject(o)))
    this.dirty.fill(0)
    const pages = packed(this.w.pages, (p, i) => (previous && i < previous.pages.length && !this.dirtyPages[i] ? previous.pages[i]! : copyPage(p)))
    this.dirtyPages = []
    const threads = packed(this.w.threads, (t, i) => (previous && !this.dirtyThreads[i] ? previous.threads[i]! : copyThread(t)))
    this.dirtyThreads.fill(0)
    return worldWith(this.w, objects, threads, pages)
  }
  /** Everything a run needs to continue from here (the world and each thread's runtime), as copies. */
  save(): MachineSnapshot {
    return { w: copyWorld(this.w), rt: storeRuntime(this.rt) }
  }
  /**
   * Puts the machine back to a saved world and runtime (their values are copied into the
   * machine's own records and arrays; the snapshot stays as it is).
   * The identity caches (variables, binding lists, op records) are kept, so a restored machine
   * takes exactly the decisions the original one took.
   */
  restore(world: WorldState, rt: readonly Runtime[]) {
    // In place: the machine's own records are never handed out (states are copies), and
    // overwriting them allocates nothing (see stateFor for why that matters).
    const w = this.w
    for (let i = 0; i < w.objects.length; i++) assignObject(w.objects[i]!, world.objects[i]!)
    for (let i = 0; i < w.threads.length; i++) assignThread(w.threads[i]!, world.threads[i]!)
    for (let i = 0; i < world.pages.length; i++) {
      if (i < w.pages.length) assignPage(w.pages[i]!, world.pages[i]!)
      else w.pages.push(copyPage(world.pages[i]!))
    }
    w.pages.length = world.pages.length
    if (w.gil !== world.gil) w.gil = world.gil
    if (w.stoppedBy !== world.stoppedBy) w.stoppedBy = world.stoppedBy
    if (w.stopping !== world.stopping) w.stopping = world.stopping
    if (w.collecting !== world.collecting) w.collecting = world.collecting
    if (w.nextAddress !== world.nextAddress) w.nextAddress = world.nextAddress
    if (w.tidSlots !== world.tidSlots) w.tidSlots = world.tidSlots
    if (w.freeTidSlots !== world.freeTidSlots) w.freeTidSlots = world.freeTidSlots
    for (let i = 0; i < this.rt.length; i++) assignRuntime(this.rt[i]!, rt[i]!)
    this.dirty.fill(0)
    this.dirtyThreads.fill(0)
    this.dirtyPages = []
  }
  setT<K extends keyof MThread>(t: MThread, field: K, value: MThread[K]) {
    if (t[field] === value) return
    this.rec(1, t.index, field, t[field], value)
    t[field] = value
    this.dirtyThreads[t.index] = 1
  }
  /** Binding or deleting a variable is always a recorded write, even when the list is unchanged (`x = x`). */
  private setVars(t: MThread, vars: Variable[]) {
    this.rec(1, t.index, 'vars', t.vars, vars)
    t.vars = vars
    this.dirtyThreads[t.index] = 1
  }
  private readonly bindings = new BindingLists()
  // Setters for the fields written on almost every micro-step, each exactly setO or setT for one
  // field. Separate methods because in a shared setO every field goes through the same property
  // access, which V8 can only do as a slow generic lookup.
  private setRefs(o: MObject, v: MObject['refs']) {
    if (o.refs === v) return
    this.rec(0, o.id, 'refs', o.refs, v)
    o.refs = v
    this.dirty[o.id] = 1
  }
  private setShared(o: MObject, v: MObject['shared']) {
    if (o.shared === v) return
    this.rec(0, o.id, 'shared', o.shared, v)
    o.shared = v
    this.dirty[o.id] = 1
  }
  private setLocal(o: MObject, v: MObject['local']) {
    if (o.local === v) return
    this.rec(0, o.id, 'local', o.local, v)
    o.local = v
    this.dirty[o.id] = 1
  }
  private setLastWriter(o: MObject, v: MObject['lastWriter']) {
    if (o.lastWriter === v) return
    this.rec(0, o.id, 'lastWriter', o.lastWriter, v)
    o.lastWriter = v
    this.dirty[o.id] = 1
  }
  private setLockedBy(o: MObject, v: MObject['lockedBy']) {
    if (o.lockedBy === v) return
    this.rec(0, o.id, 'lockedBy', o.lockedBy, v)
    o.lockedBy = v
    this.dirty[o.id] = 1
  }
  private setRefcnt(o: MObject, v: MObject['refcnt']) {
    if (o.refcnt === v) return
    this.rec(0, o.id, 'refcnt', o.refcnt, v)
    o.refcnt = v
    this.dirty[o.id] = 1
  }
  private setSlots(o: MObject, v: MObject['slots']) {
    if (o.slots === v) return
    this.rec(0, o.id, 'slots', o.slots, v)
    o.slots = v
    this.dirty[o.id] = 1
  }
  private setState(o: MObject, v: MObject['state']) {
    if (o.state === v) return
    this.rec(0, o.id, 'state', o.state, v)
    o.state = v
    this.dirty[o.id] = 1
  }
  private setWaiters(o: MObject, v: MObject['waiters']) {
    if (o.waiters === v) return
    this.rec(0, o.id, 'waiters', o.waiters, v)
    o.waiters = v
    this.dirty[o.id] = 1
  }
  private setPc(t: MThread, v: MThread['pc']) {
    if (t.pc === v) return
    this.rec(1, t.index, 'pc', t.pc, v)
    t.pc = v
    this.dirtyThreads[t.index] = 1
  }
  private setSections(t: MThread, v: MThread['sections']) {
    if (t.sections === v) return
    this.rec(1, t.index, 'sections', t.sections, v)
    t.sections = v
    this.dirtyThreads[t.index] = 1
  }
  private setStatus(t: MThread, v: MThread['status']) {
    if (t.status === v) return
    this.rec(1, t.index, 'status', t.status, v)
    t.status = v
    this.dirtyThreads[t.index] = 1
  }
  private setBlockedOn(t: MThread, v: MThread['blockedOn']) {
    if (t.blockedOn === v) return
    this.rec(1, t.index, 'blockedOn', t.blockedOn, v)
    t.blockedOn = v
    this.dirtyThreads[t.index] = 1
  }
  private setCRefs(t: MThread, v: MThread['cRefs']) {
    if (t.cRefs === v) return
    this.rec(1, t.index, 'cRefs', t.cRefs, v)
    t.cRefs = v
    this.dirtyThreads[t.index] = 1
  }
  private setDirectLocks(t: MThread, v: MThread['directLocks']) {
    if (t.directLocks === v) return
    this.rec(1, t.index, 'directLocks', t.directLocks, v)
    t.directLocks = v
    this.dirtyThreads[t.index] = 1
  }
  setP<K extends keyof MPage>(p: MPage, field: K, value: MPage[K]) {
    this.rec(2, p.id, field, p[field], value)
    p[field] = value
    this.dirtyPages[p.id] = true
  }
  setW<K extends keyof MWorld>(field: K, value: MWorld[K]) {
    if (this.w[field] === value) return
    this.rec(3, 0, field, this.w[field], value)
    this.w[field] = value
  }
  private addPage(p: MPage) {
    this.rec(2, p.id, '*', undefined, { ...p })
    this.w.pages.push(p)
    this.dirtyPages[p.id] = true
  }

  /** Records the micro-step that just ran. Exactly one per micro-step. */
  /**
   * Tag for narration: this.n`${t.name} adds 1 to ob_ref_local` stores the template and its values
   * in the recording (joined into text only when read) and returns the entry's index.
   */
  // Up to eight values as plain parameters (no rest array, no `arguments` object): in a quiet
  // run a call costs nothing but evaluating its values.
  private n(strings: TemplateStringsArray, v0?: unknown, v1?: unknown, v2?: unknown, v3?: unknown, v4?: unknown, v5?: unknown, v6?: unknown, v7?: unknown): number {
    if (!this.recording) return -1
    const log = this.log
    const values = log.narrationValues
    log.narrationTemplate.push(strings)
    log.narrationValueStart.push(values.length)
    const count = strings.length - 1
    if (count > 0) values.push(v0)
    if (count > 1) values.push(v1)
    if (count > 2) values.push(v2)
    if (count > 3) values.push(v3)
    if (count > 4) values.push(v4)
    if (count > 5) values.push(v5)
    if (count > 6) values.push(v6)
    if (count > 7) values.push(v7)
    return log.narrationTemplate.length - 1
  }

  emit(op: string, cpython: string, sentence: number | string) {
    if (!this.recording) {
      // A folded bind is part of the step before it.
      if (this.folding) return
      this.quietSteps++
      this.emitted = true
      return
    }
    const narration = typeof sentence === 'string' ? this.log.addSentence(sentence) : sentence
    if (this.folding) {
      // Binding the value to a variable is part of the micro-step that produced the value: its
      // changes simply continue the last step's log range.
      void narration // already recorded, right after the last step's own narration
      return
    }
    // The step's log range starts where its first change was written.
    this.log.addStep(this.microStart, this.cur, this.curLine, op, cpython, narration)
    this.microStart = this.log.length
    this.emitted = true
  }

  // ------------------------------------------------------------------ helpers

  name(t: number): string {
    return this.w.threads[t]?.name ?? '?'
  }
  label(obj: number): string {
    return this.w.objects[obj]!.label
  }
  private thr(): MThread {
    return this.w.threads[this.cur]!
  }
  private obj(id: number): MObject {
    return this.w.objects[id]!
  }
  /** The thread an ob_tid value belongs to (the latest thread given that id), or -1. */
  threadOfTid(tid: number): number {
    if (tid === 0) return -1
    return this.w.tidSlots[(tid - TID_BASE) / TID_STRIDE] ?? -1
  }
  ownerName(o: ObjectState): string {
    const t = this.threadOfTid(o.tid)
    return t < 0 ? 'none' : this.name(t)
  }
  private isOwner(o: MObject): boolean {
    return o.tid !== 0 && o.tid === this.thr().tid
  }
  /** The whole ob_ref_shared field is 0 or 1 (count 0, state default or weakref). Never for deferred objects: the bias keeps the field large. */
  private sharedFieldZeroOrOne(o: MObject): boolean {
    return !o.deferred && o.shared === 0 && o.state <= S_WEAKREF
  }
  private countOf(o: ObjectState): number {
    if (!this.ft) return o.refcnt
    return o.local + o.shared
  }
  /**
   * A thread's counters, to add to. Counters are not in the change log (they move on almost every
   * micro-step): a state is rebuilt by running the steps, which counts again. Callers write each
   * counter by name (a counter picked by a variable key is a slow lookup in V8).
   */
  private counters(t: MThread): Mutable<Counters> {
    this.dirtyThreads[t.index] = 1
    return t.counters as Mutable<Counters>
  }
  private charge(kind: 'plain' | 'atomic' | 'lock', o: MObject) {
    const c = this.counters(this.thr())
    const transfer = o.lastWriter >= 0 && o.lastWriter !== this.cur
    if (kind === 'plain') c.plainWrites++
    else c.atomicOps++
    if (kind === 'lock') c.lockAcquisitions++
    if (transfer) c.cacheLineTransfers++
    const base = kind === 'plain' ? COST.plainWrite : kind === 'atomic' ? COST.atomicLocal : COST.lockUncontended
    c.cycles += base + (transfer ? COST.lineTransfer : 0)
    this.setLastWriter(o, this.cur)
  }
  private chargeWait(t: MThread, cycles: number) {
    const c = this.counters(t)
    c.contendedWaits++
    c.cycles += cycles
  }
  private violation(kind: Violation['kind'], obj: number, message: string) {
    this.violations.push({ kind, step: this.stepCount, line: this.curLine, obj, message })
  }
  /** The statement being executed, for `at` and `then`. */
  private curStmt = 0
  /** The current statement, resumed at `phase`. */
  private at(phase: number): Op {
    return this.curStmt * 256 + phase
  }
  /** Continue the current statement at `phase` after what is pushed later. */
  private then(phase: number) {
    this.rt[this.cur]!.ops.push(this.curStmt * 256 + phase)
  }
  /** The shared op record of a kind (DECREF_DROP, …) for an object. */
  private op(kind: number, obj: number): Op {
    const table = (this.opTables[kind] ??= [])
    return (table[obj] ??= Object.freeze(MAKE_OP[kind]!(obj)))
  }
  private readonly opTables: Op[][] = []
  private push1(op: Op) {
    this.rt[this.cur]!.ops.push(op)
  }
  private push(...ops: Op[]) {
    const stack = this.rt[this.cur]!.ops
    for (let i = ops.length - 1; i >= 0; i--) stack.push(ops[i]!)
  }
  /**
   * ` (${who} ${why})`, or ` (${why})` without `who`: one shared string per distinct text, so
   * narration values kept in the recording are not a new string per micro-step.
   */
  private parenthesised(why: string, who = ''): string {
    if (!this.recording) return '' // narration only
    const byWho = (this.reasons[who] ??= new Map<string, string>())
    let text = byWho.get(why)
    if (text === undefined) {
      text = who ? ` (${who} ${why})` : ` (${why})`
      byWho.set(why, text)
    }
    return text
  }
  private readonly reasons: Record<string, Map<string, string>> = Object.create(null)
  /** One shared copy of a narration string (see parenthesised). */
  private intern(text: string): string {
    const known = this.interned.get(text)
    if (known !== undefined) return known
    this.interned.set(text, text)
    return text
  }
  private readonly interned = new Map<string, string>()
  /** The opening of a critical section's narration, one shared string per thread and objects. */
  private csBeginText(t: MThread, order: readonly number[], reason: string): string {
    if (!this.recording) return '' // narration only
    if (reason) return this.intern(`${t.name} begins a critical section on ${this.lockNames(order)}${order.length === 2 ? ' (two objects: lower address first)' : ''}${reason}`)
    const n = this.w.objects.length + 1
    const key = (t.index * n + order[0]!) * n + (order.length === 2 ? order[1]! + 1 : 0)
    let text = this.csBeginTexts.get(key)
    if (text === undefined) {
      text = `${t.name} begins a critical section on ${this.lockNames(order)}${order.length === 2 ? ' (two objects: lower address first)' : ''}`
      this.csBeginTexts.set(key, text)
    }
    return text
  }
  private readonly csBeginTexts = new Map<number, string>()
  /** `${words}${name}` (e.g. 'for ' + 'x'), one shared string per pair. */
  private phrase(words: string, name: string): string {
    if (!this.recording) return '' // narration only
    const byName = (this.phrases[words] ??= new Map<string, string>())
    let text = byName.get(name)
    if (text === undefined) {
      text = words + name
      byName.set(name, text)
    }
    return text
  }
  private readonly phrases: Record<string, Map<string, string>> = Object.create(null)
  private fail(message: string): never {
    throw new RuntimeError(this.curLine, message)
  }

  // ------------------------------------------------------------------ threads and heaps

  private startThreadSilently(t: number) {
    const w = this.w
    const reuse = w.freeTidSlots.length > 0
    const slot = reuse ? w.freeTidSlots[w.freeTidSlots.length - 1]! : w.tidSlots.length
    const thread = this.w.threads[t]!
    if (reuse) this.setW('freeTidSlots', w.freeTidSlots.slice(0, -1))
    const slots = w.tidSlots.slice()
    slots[slot] = t
    this.setW('tidSlots', slots)
    this.setT(thread, 'tid', TID_BASE + slot * TID_STRIDE)
    this.setT(thread, 'started', true)
    return reuse
  }

  private placeOnHeap(o: MObject, t: number) {
    let page: MPage | undefined
    for (let i = this.w.pages.length - 1; i >= 0 && !page; i--) {
      const p = this.w.pages[i]!
      if (p.owner === t && p.blocks.length < PAGE_BLOCKS) page = p
    }
    if (!page) {
      page = { id: this.w.pages.length, owner: t, blocks: [], freeList: [], threadFreeList: [] }
      this.addPage(page)
    }
    const address = this.w.nextAddress
    this.setW('nextAddress', address + BLOCK_SIZE)
    this.setP(page, 'blocks', append(page.blocks, o.id))
    this.setO(o, 'address', address)
    this.setO(o, 'page', page.id)
    this.setO(o, 'allocated', true)
    return page
  }

  /** Object.c `new_reference`: owned by the creator, local 1, shared 0. */
  private initHeader(o: MObject, t: number) {
    const tracked = o.type === 'list' || o.type === 'dict' || o.type === 'Queue' || o.type === 'function' || o.type === 'closure' || o.type === 'module-dict'
    if (this.ft) {
      this.setO(o, 'tid', this.w.threads[t]!.tid)
      this.setLocal(o, 1)
    } else {
      this.setRefcnt(o, 1)
    }
    this.setO(o, 'gcBits', tracked ? GC_BITS.TRACKED : 0)
    this.setRefs(o, 1)
    this.setLastWriter(o, t)
    if (o.type === 'function' && this.ft) {
      // PyFunction_New → _PyObject_SetDeferredRefcount: gc bit DEFERRED plus the bias.
      this.setO(o, 'gcBits', GC_BITS.TRACKED | GC_BITS.DEFERRED)
      this.setO(o, 'deferred', true)
    }
  }

  // ------------------------------------------------------------------ running

  /** Whether thread t still has statements or pending operations. */
  hasWork(t: number): boolean {
    return this.rt[t]!.ops.length > 0 || this.w.threads[t]!.pc < this.sc.programs[t]!.length
  }
  inStatement(t: number): boolean {
    return this.rt[t]!.inStmt || this.rt[t]!.ops.length > 0
  }
  /** Line of the statement thread t is on, or Infinity when it has none left. */
  currentLine(t: number): number {
    const lines = this.tables.programLines[t]!
    const pc = this.w.threads[t]!.pc
    return pc < lines.length ? lines[pc]! : Infinity
  }

  /** Runs one micro-step of thread t. The scheduler guarantees t can run. */
  step(t: number) {
    this.microStart = this.log.length
    this.cur = t
    this.emitted = false
    const thread = this.w.threads[t]!
    const rt = this.rt[t]!
    if (this.mode === 'gil' && this.w.gil !== t) {
      this.takeGil(t)
      return
    }
    if (!thread.started) {
      this.curLine = this.currentLine(t)
      const reuse = this.startThreadSilently(t)
      this.emit(
        'thread.start',
        'thread_run',
        reuse
          ? this.n`${thread.name} starts and gets thread id ${hex(thread.tid)}, the id of a thread that has exited: objects that thread still "owns" now count as ${thread.name}'s.`
          : `${thread.name} starts with thread id ${hex(thread.tid)}; objects it creates will carry this id in ob_tid.`,
      )
      return
    }
    if (rt.ops.length === 0) {
      // Statement boundary: poll the eval breaker (Python/ceval_gil.c _Py_HandlePending).
      this.curLine = this.currentLine(t)
      if (this.ft && thread.queue.length > 0) {
        this.opMerge(thread.queue[0]!)
        return
      }
      // (Program entries are statement indexes.)
      rt.ops.push(this.sc.programs[t]![thread.pc]! * 256)
      rt.inStmt = true
    }
    const op = rt.ops.pop()!
    // Every micro-step belongs to the statement its thread is on (or about to start).
    this.curLine = typeof op === 'number' ? this.tables.line[op >>> 8]! : this.currentLine(t)
    this.exec(op)
    if (!this.emitted) throw new Error(`engine bug: op ${typeof op === 'number' ? 'statement' : op.k} emitted no micro-step`)
    const next = rt.ops[rt.ops.length - 1]
    if (typeof next === 'number' && (next & 255) >= 10) {
      if (this.tables.bindsVariable[next >>> 8]) {
        rt.ops.pop()
        this.folding = true
        try {
          this.exec(next)
        } finally {
          this.folding = false
        }
      }
    }
    if (rt.ops.length === 0 && rt.inStmt) {
      rt.inStmt = false
      if (thread.status !== 'exited') this.finishStatement(t)
      if (this.w.stopping.includes(t)) {
        // The statement is done: this is the safe point the collector is waiting for.
        this.reachSafePoint(thread, thread.status !== 'exited')
        this.folding = true
        this.emit('gc.safe-point', '_PyThreadState_Suspend', this.n`${thread.name} has finished its statement and stops for ${this.name(this.w.stoppedBy)}'s collection.`)
        this.folding = false
      }
    }
  }

  private finishStatement(t: number) {
    const thread = this.w.threads[t]!
    this.setPc(thread, thread.pc + 1)
    this.rt[t]!.gilStatements++
  }

  private exec(op: Op): void {
    if (typeof op === 'number') return this.execStatement(this.sc.statements[op >>> 8]!, op & 255)
    switch (op.k) {
      case 'incref':
        return this.opIncref(op.obj, op.c)
      case 'decref':
        return this.opDecref(op.obj, op.c)
      case 'unsafe-write':
        return this.opUnsafeWrite(op.obj, op.delta)
      case 'merge-zero':
        return this.opMergeZero(op.obj)
      case 'queue-push':
        return this.opQueuePush(op.obj)
      case 'dealloc':
        return this.opDealloc(op.obj, op.gc ?? false)
      case 'merge':
        return this.opMerge(op.obj)
      case 'cs-begin':
        return this.opCsBegin(op.objs, op.internal)
      case 'cs-acquire':
        return this.opCsAcquire()
      case 'cs-end':
        return this.opCsEnd(op.internal)
      case 'attach':
        return this.opAttach()
      case 'gc-merge-queued':
        return this.opGcMergeQueued(op.obj, op.owner)
      case 'gc-merge-abandoned':
        return this.opGcMergeAbandoned(op.obj)
      case 'gc-stopped':
        return this.opGcStopped()
      case 'gc-end':
        return this.opGcEnd()
      case 'gc-find':
        return this.opGcFind()
      case 'gc-restart':
        return this.opGcRestart()
      case 'gc-free':
        return this.opGcFree(op.obj, op.garbage)
      case 'exit-drop':
        return this.opExitDrop(op.name)
      case 'exit-drain':
        return this.opExitDrain()
    }
  }

  // ------------------------------------------------------------------ statements

  private varOf(name: string): Variable {
    const v = findVar(this.thr().vars, name)
    if (!v) this.fail(`"${name}" is not bound in ${this.thr().name}`)
    return v
  }
  private lockTarget(a: LockArg): number {
    return a.k === 'G' ? 0 : this.varOf(a.name).obj
  }
  private containerOf(name: string, types: string[], verb: string): MObject {
    const o = this.obj(this.varOf(name).obj)
    if (!types.includes(o.type)) this.fail(`cannot ${verb} ${o.label}: it is a ${o.type}, not a ${types.join(' or ')}`)
    return o
  }
  /** [id], one shared read-only array per object (the objects of a one-object critical section). */
  private only(id: number): readonly number[] {
    return (this.onlyArrays[id] ??= [id])
  }
  private readonly onlyArrays: number[][] = []
  /** A list or queue slot: one shared read-only record per object. */
  private listSlot(obj: number): Slot {
    return (this.listSlots[obj] ??= { obj })
  }
  private readonly listSlots: Slot[] = []
  /** Variables are read-only records: one shared record per (name, object, tag). */
  private variable(name: string, obj: number, deferred: boolean): Variable {
    const byName = (this.variables[name] ??= [])
    const i = obj * 2 + (deferred ? 1 : 0)
    return (byName[i] ??= { name, obj, deferred })
  }
  private readonly variables: Record<string, Variable[]> = Object.create(null)
  private setTmp(obj: number, deferred: boolean) {
    const rt = this.rt[this.cur]!
    rt.tmp = obj
    rt.tmpDeferred = deferred
  }
  private argObj(a: Arg): number {
    return a.k === 'var' ? this.varOf(a.name).obj : a.obj
  }

  /**
   * A statement as a small state machine: `phase` says which part runs next. Phases that need
   * follow-up micro-steps push ops (and the statement again with the next phase).
   */
  private execStatement(s: Statement, phase: number): void {
    this.curStmt = s.index
    const base = 0
    const t = this.thr()
    switch (s.k) {
      case 'pass':
        return this.emit('pass', '_Py_HandlePending', this.n`${t.name} reaches a statement boundary and does nothing else.`)
      case 'assign':
        return this.execAssign(s, s.target, s.expr, phase, base)
      case 'del':
        return this.execDel(s.target, phase, base)
      case 'append':
      case 'put': {
        if (phase === 0) {
          const container = this.containerOf(s.k === 'append' ? s.list : s.queue, s.k === 'append' ? ['list'] : ['Queue'], s.k === 'append' ? 'append to' : 'put into')
          const value = this.argObj(s.arg)
          this.then(base + 1)
          return this.newReference(value, `${s.k === 'append' ? `to store it in ${container.label}` : `for the queue ${container.label}`}`)
        }
        const container = this.obj(this.varOf(s.k === 'append' ? s.list : s.queue).obj)
        if (s.k === 'put') return this.queuePut(container)
        return this.lockedContainerOp(container, phase - 1, base + 1, () => this.listAppend(container))
      }
      case 'clear': {
        const list = this.containerOf(s.list, ['list'], 'clear')
        return this.lockedContainerOp(list, phase, base, () => this.listClear(list))
      }
      case 'call':
        return this.execCall(s, phase, base)
      case 'incref': {
        const obj = this.varOf(s.name).obj
        return this.opIncref(obj, 'cref')
      }
      case 'decref': {
        const obj = this.varOf(s.name).obj
        return this.opDecref(obj, 'cref')
      }
      case 'cs-begin': {
        const objs = s.objs.map((a) => this.lockTarget(a))
        return this.opCsBegin(objs, false)
      }
      case 'cs-end':
        return this.opCsEnd(false)
      case 'lock':
        return this.opMutexLock(this.lockTarget(s.obj))
      case 'unlock':
        return this.opMutexUnlock(this.lockTarget(s.obj))
      case 'sleep':
        this.push1(OP_ATTACH)
        return this.detach(null, 'sleep', `${t.name} calls sleep(): it detaches from the interpreter for blocking work`)
      case 'gc':
        return this.opGcStart()
      case 'exit': {
        const ops: Op[] = t.vars.map((v) => ({ k: 'exit-drop', name: v.name }))
        this.push(...ops, OP_EXIT_DRAIN)
        const first = this.rt[this.cur]!.ops.pop()!
        return this.exec(first)
      }
    }
  }

  /** Takes a new counted reference to obj for the statement (LOAD_FAST + what consumes it). */
  private newReference(obj: number, why: string) {
    this.setTmp(obj, false)
    this.opIncref(obj, 'tmp', why)
  }

  private execAssign(s: Statement, target: Target, expr: Expr, phase: number, base: number) {
    const t = this.thr()
    // Phase 0: produce the value (a counted or deferred-tagged reference in rt.tmp).
    if (phase === 0) {
      switch (expr.k) {
        case 'new':
          this.then(base + 10)
          return this.opAlloc(expr.obj)
        case 'immortal': {
          this.setTmp(expr.obj, true)
          this.then(base + 10)
          return this.emit(
            'load.immortal',
            'PyStackRef_FromPyObjectNew',
            this.n`${t.name} loads ${this.label(expr.obj)} (${this.sc.objects[expr.obj]!.literal}), an immortal object: no reference count changes.`,
          )
        }
        case 'var': {
          const v = this.varOf(expr.name)
          const o = this.obj(v.obj)
          this.then(base + 10)
          if (target.k === 'var' && (o.deferred || o.immortal) && this.mode !== 'gil' && !o.freed) {
            this.setTmp(v.obj, true)
            return this.emit(
              'load.deferred',
              'PyStackRef_FromPyObjectNew',
              this.n`${t.name} copies ${expr.name} into ${target.name}: ${o.label} is ${o.immortal ? 'immortal' : 'deferred'}, so the new stack reference is tagged and its count is not touched.`,
            )
          }
          return this.newReference(v.obj, target.k === 'var' ? this.phrase('for ', target.name) : 'to store it')
        }
        case 'global':
          return this.dictRead(this.obj(0), this.globalKey(expr.name), 0, base, target.k === 'var', 10)
        case 'item': {
          const c = this.containerOf(expr.container, ['list', 'dict'], 'index')
          if (c.type === 'list') return this.listRead(c, expr.key, 0, base, 10)
          return this.dictRead(c, expr.key, 0, base, false, 10)
        }
        case 'pop': {
          const c = this.containerOf(expr.container, ['list'], 'pop from')
          return this.lockedContainerOp(c, 0, base, () => this.listPop(c), this.at(base + 10))
        }
        case 'get': {
          const q = this.containerOf(expr.container, ['Queue'], 'get from')
          return this.queueGet(q, this.at(base + 10))
        }
      }
    }
    // Reads that go through several micro-steps use phases 1..9 of their own.
    if (phase < 10) {
      if (expr.k === 'global') return this.dictRead(this.obj(0), this.globalKey(expr.name), phase, base, target.k === 'var', 10)
      if (expr.k === 'item') {
        const c = this.obj(this.varOf(expr.container).obj)
        if (c.type === 'list') return this.listRead(c, expr.key, phase, base, 10)
        return this.dictRead(c, expr.key, phase, base, false, 10)
      }
      if (expr.k === 'pop') {
        const c = this.obj(this.varOf(expr.container).obj)
        return this.lockedContainerOp(c, phase, base, () => this.listPop(c), this.at(base + 10))
      }
      if (expr.k === 'get') return this.queueGet(this.obj(this.varOf(expr.container).obj), this.at(base + 10))
    }
    // Phase 10+: store the value into the target.
    return this.store(target, phase - 10, base + 10)
  }

  /** Stores rt.tmp into a target, consuming the reference it carries. */
  private store(target: Target, phase: number, base: number) {
    const t = this.thr()
    const rt = this.rt[this.cur]!
    const obj = rt.tmp
    if (target.k === 'var') {
      const old = findVar(t.vars, target.name)
      this.setVars(t, this.bindings.rebind(t.vars, this.variable(target.name, obj, rt.tmpDeferred)))
      if (old && !old.deferred) this.push1(this.op(DECREF_DROP, old.obj))
      return this.emit(
        'store.var',
        'STORE_FAST',
        this.n`It is bound to ${target.name}${old ? `; the old value of ${target.name}, ${this.label(old.obj)}, ${old.deferred ? 'was a tagged reference, so nothing is released' : 'is released next'}` : ''}.`,
      )
    }
    if (rt.tmpDeferred && !this.obj(obj).immortal) {
      // PyStackRef_AsPyObjectSteal: a tagged reference becomes a counted one when stored.
      rt.tmpDeferred = false
      this.then(base + phase)
      return this.opIncref(obj, 'tmp', 'because stores into containers always hold a counted reference')
    }
    if (target.k === 'global') {
      return this.lockedContainerOp(this.obj(0), phase, base, () => this.dictStore(this.obj(0), this.globalKey(target.name), obj))
    }
    const c = this.obj(this.varOf(target.container).obj)
    if (c.type === 'list') return this.lockedContainerOp(c, phase, base, () => this.listStore(c, target.key, obj))
    if (c.type === 'dict') return this.lockedContainerOp(c, phase, base, () => this.dictStore(c, target.key, obj))
    return this.fail(`${c.label} is a ${c.type}: only lists and dicts can be indexed`)
  }

  private execDel(target: Target, phase: number, base: number) {
    const t = this.thr()
    if (target.k === 'var') {
      const v = this.varOf(target.name)
      this.setVars(t, this.bindings.unbind(t.vars, target.name))
      if (v.deferred) {
        return this.emit('drop.deferred', 'PyStackRef_CLOSE', this.n`${t.name} deletes ${target.name}: it was a tagged (deferred) reference, so no count changes.`)
      }
      return this.opDecref(v.obj, 'drop', this.phrase('deletes ', target.name))
    }
    if (target.k === 'global') {
      return this.lockedContainerOp(this.obj(0), phase, base, () => this.dictDelete(this.obj(0), this.globalKey(target.name)))
    }
    const c = this.obj(this.varOf(target.container).obj)
    if (c.type !== 'dict' && c.type !== 'list') this.fail(`${c.label} cannot be indexed`)
    return this.lockedContainerOp(c, phase, base, () => (c.type === 'dict' ? this.dictDelete(c, target.key) : this.listDelete(c, target.key)))
  }

  private execCall(s: Extract<Statement, { k: 'call' }>, phase: number, base: number) {
    const t = this.thr()
    if (s.fn.k === 'var') {
      const v = this.varOf(s.fn.name)
      const o = this.obj(v.obj)
      if (o.type !== 'function' && o.type !== 'closure') this.fail(`${o.label} is a ${o.type}, not something that can be called`)
      if (phase === 0) {
        if ((o.deferred && this.mode !== 'gil') || v.deferred) {
          return this.emit('call.deferred', '_PyEval_EvalFrameDefault', this.n`${t.name} calls ${o.label}(): it is deferred, so the call pushes a tagged reference and its count never moves.`)
        }
        this.then(base + 1)
        return this.newReference(v.obj, 'to push it on the stack for the call')
      }
      return this.opDecref(v.obj, 'drop', `finished calling ${o.label}() and drops the stack reference`)
    }
    // G.f(): LOAD_GLOBAL, then CALL, then drop the stack reference.
    if (phase < 10) return this.dictRead(this.obj(0), this.globalKey(s.fn.name), phase, base, true, 10)
    const rt = this.rt[this.cur]!
    const o = this.obj(rt.tmp)
    if (o.type !== 'function' && o.type !== 'closure') this.fail(`G.${s.fn.name} is a ${o.type}, not something that can be called`)
    if (rt.tmpDeferred) {
      return this.emit('call.deferred', '_PyEval_EvalFrameDefault', this.n`${t.name} calls ${o.label}() through a tagged reference: no count changes.`)
    }
    return this.opDecref(rt.tmp, 'drop', `finished calling ${o.label}() and drops the stack reference`)
  }

  // ------------------------------------------------------------------ containers

  /**
   * Runs `body` inside the container's critical section, as CPython's list and dict methods do.
   * Phases: 0 begin, 1 body, 2 end. Only free-threaded, atomic and unsafe modes lock.
   */
  private lockedContainerOp(c: MObject, phase: number, base: number, body: () => void, next?: Op) {
    if (this.mode === 'gil') {
      if (next) this.push(next)
      return body()
    }
    if (phase === 0) {
      this.then(base + 1)
      return this.opCsBegin(this.only(c.id), true)
    }
    if (phase === 1) {
      this.then(base + 2)
      return body()
    }
    if (next) this.push(next)
    return this.opCsEnd(true)
  }

  /** G's key for a global name: one shared Key per name (keys are read-only). */
  private globalKey(name: string): Key {
    let key = this.globalKeys.get(name)
    if (!key) {
      key = { k: 'str', value: name }
      this.globalKeys.set(name, key)
    }
    return key
  }
  private readonly globalKeys = new Map<string, Key>()
  private readonly globalLabels = new Map<string, string>()
  private keyLabel(c: MObject, key: Key): string {
    if (key.k === 'int') return `${c.label}[${key.value}]`
    if (key.k === 'str' && c.id === 0) {
      let label = this.globalLabels.get(key.value)
      if (label === undefined) {
        label = `G.${key.value}`
        this.globalLabels.set(key.value, label)
      }
      return label
    }
    if (key.k === 'str') return `${c.label}["${key.value}"]`
    return `${c.label}[${key.name}]`
  }
  private keyString(key: Key): string {
    if (key.k === 'int') return String(key.value)
    if (key.k === 'str') return key.value
    return `#obj${this.varOf(key.name).obj}`
  }
  private listIndex(c: MObject, key: Key): number {
    if (key.k !== 'int') this.fail(`list indices are whole numbers, not ${key.k === 'str' ? `"${key.value}"` : key.name}`)
    const i = key.value < 0 ? c.slots.length + key.value : key.value
    if (i < 0 || i >= c.slots.length) this.fail(`IndexError: ${c.label}[${key.value}] is out of range (${c.label} has ${c.slots.length} item${c.slots.length === 1 ? '' : 's'})`)
    return i
  }
  private dictSlot(c: MObject, key: Key): number {
    const k = this.keyString(key)
    return c.slots.findIndex((s) => s.key === k)
  }

  private listAppend(c: MObject) {
    const t = this.thr()
    const obj = this.rt[this.cur]!.tmp
    this.setSlots(c, append(c.slots, this.listSlot(obj)))
    let extra = ''
    if (this.ft && !this.isOwner(c) && !(c.gcBits & GC_BITS.SHARED)) {
      // listobject.c ensure_shared_on_resize: a resize by a non-owner marks the list SHARED.
      this.setO(c, 'gcBits', c.gcBits | GC_BITS.SHARED)
      extra = ` ${t.name} does not own ${c.label}, so the resize marks it GC-SHARED (readers must now be careful).`
    }
    this.emit('list.append', 'list_append', this.n`${t.name} appends ${this.label(obj)} to ${c.label}; the list holds the reference.${extra}`)
  }
  private listStore(c: MObject, key: Key, obj: number) {
    const i = this.listIndex(c, key)
    const old = c.slots[i]!.obj
    const slots = c.slots.slice()
    slots[i] = { obj }
    this.setSlots(c, slots)
    this.push1(this.op(DECREF_DROP, old))
    this.emit('list.store', 'list_ass_item', this.n`${this.thr().name} stores ${this.label(obj)} in ${this.keyLabel(c, key)}; the old item ${this.label(old)} is released next.`)
  }
  private listDelete(c: MObject, key: Key) {
    const i = this.listIndex(c, key)
    const old = c.slots[i]!.obj
    this.setSlots(c, withoutIndex(c.slots, i))
    this.push1(this.op(DECREF_DROP, old))
    this.emit('list.delete', 'list_ass_slice', this.n`${this.thr().name} removes ${this.keyLabel(c, key)} (${this.label(old)}); its reference is released next.`)
  }
  private listPop(c: MObject) {
    if (!c.slots.length) this.fail(`IndexError: pop from empty list ${c.label}`)
    const item = c.slots[c.slots.length - 1]!.obj
    this.setSlots(c, c.slots.slice(0, -1))
    this.setTmp(item, false)
    this.emit('list.pop', 'list_pop_impl', this.n`${this.thr().name} pops ${this.label(item)} from ${c.label}: the list's reference moves to ${this.thr().name} without any count change.`)
  }
  private listClear(c: MObject) {
    const items = c.slots.map((s) => s.obj)
    this.setSlots(c, [])
    this.push(...items.map((obj): Op => ({ k: 'decref', obj, c: 'drop' })))
    this.emit('list.clear', 'list_clear_impl', this.n`${this.thr().name} clears ${c.label}: ${items.length ? `its ${items.length} reference${items.length > 1 ? 's are' : ' is'} released next` : 'it was already empty'}.`)
  }
  private dictStore(c: MObject, key: Key, obj: number) {
    const k = this.keyString(key)
    const i = this.dictSlot(c, key)
    const slots = c.slots.slice()
    let old = -1
    if (i >= 0) {
      old = slots[i]!.obj
      slots[i] = { key: k, obj }
    } else slots.push({ key: k, obj })
    this.setSlots(c, slots)
    if (i < 0 && this.ft && !this.isOwner(c) && !(c.gcBits & GC_BITS.SHARED)) {
      // dictobject.c ensure_shared_on_resize: a non-owner growing the dict marks it SHARED.
      this.setO(c, 'gcBits', c.gcBits | GC_BITS.SHARED)
    }
    if (key.k === 'var' && i < 0) {
      // A new key object: the dict holds a reference to it too.
      this.push1(this.op(INCREF, this.varOf(key.name).obj))
    }
    if (old >= 0) this.push1(this.op(DECREF_DROP, old))
    this.emit(
      'dict.store',
      'insertdict',
      this.n`${this.thr().name} stores ${this.label(obj)} in ${this.keyLabel(c, key)}${old >= 0 ? `; the old value ${this.label(old)} is released next` : ''}.`,
    )
  }
  private dictDelete(c: MObject, key: Key) {
    const i = this.dictSlot(c, key)
    if (i < 0) this.fail(`KeyError: ${this.keyLabel(c, key)} does not exist`)
    const old = c.slots[i]!.obj
    this.setSlots(c, withoutIndex(c.slots, i))
    if (key.k === 'var') this.push1(this.op(DECREF_DROP, this.varOf(key.name).obj))
    this.push1(this.op(DECREF_DROP, old))
    this.emit('dict.delete', 'delitem_common', this.n`${this.thr().name} deletes ${this.keyLabel(c, key)}; the reference to ${this.label(old)} is released next.`)
  }

  /**
   * Reads a list item (Objects/listobject.c list_get_item_ref). Phases:
   * 0: a non-owner of a list that is not GC-SHARED goes straight to the locked path;
   *    otherwise a lock-free _Py_TryIncrefCompare (fast path or atomic add);
   * 1..3: the locked fallback list_item_impl: begin section, mark SHARED + _Py_NewRefWithLock, end.
   */
  private listRead(c: MObject, key: Key, phase: number, base: number, done: number) {
    const t = this.thr()
    const i = this.listIndex(c, key)
    const item = this.obj(c.slots[i]!.obj)
    if (!this.ft) {
      this.then(base + done)
      return this.newReference(item.id, `read from ${this.keyLabel(c, key)}`)
    }
    if (phase === 0) {
      if (!this.isOwner(c) && !(c.gcBits & GC_BITS.SHARED)) {
        this.then(base + 2)
        return this.opCsBegin(this.only(c.id), true, `${t.name} does not own ${c.label} and the list is not GC-SHARED yet, so the read takes the list's lock (list_item_impl)`)
      }
      return this.tryIncref(item, c, key, base, 1, done)
    }
    if (phase === 1) {
      this.then(base + 2)
      return this.opCsBegin(this.only(c.id), true, `the lock-free read was refused, so ${t.name} falls back to ${c.label}'s lock`)
    }
    if (phase === 2) {
      this.then(base + 3)
      if (!(c.gcBits & GC_BITS.SHARED)) this.setO(c, 'gcBits', c.gcBits | GC_BITS.SHARED)
      return this.newRefWithLock(item, `${this.keyLabel(c, key)} under ${c.label}'s lock; ${c.label} is now GC-SHARED`)
    }
    this.then(base + done)
    return this.opCsEnd(true)
  }

  /**
   * Reads a dict value or a global (dictobject.c _Py_dict_lookup_threadsafe). Phases:
   * 0: a non-owner's first read marks the dict SHARED under its lock (ensure_shared_on_read),
   *    then a lock-free _Py_TryXGetRef; 1..3 mark-shared section; 4..6 the locked fallback.
   */
  private dictRead(c: MObject, key: Key, phase: number, base: number, tagDeferred: boolean, done: number) {
    const t = this.thr()
    const slot = this.dictSlot(c, key)
    if (slot < 0) this.fail(c.id === 0 ? `NameError: name '${(key as { value: string }).value}' is not defined (no G.${(key as { value: string }).value} has been stored yet)` : `KeyError: ${this.keyLabel(c, key)} does not exist`)
    const item = this.obj(c.slots[slot]!.obj)
    if (!this.ft) {
      this.then(base + done)
      if (tagDeferred && item.immortal && this.mode !== 'gil') {
        this.setTmp(item.id, true)
        return this.emit('load.immortal', 'PyStackRef_FromPyObjectNew', this.n`${t.name} loads ${this.keyLabel(c, key)}: ${item.label} is immortal, no count changes.`)
      }
      return this.newReference(item.id, `read from ${this.keyLabel(c, key)}`)
    }
    switch (phase) {
      case 0:
        if (!this.isOwner(c) && !(c.gcBits & GC_BITS.SHARED)) {
          this.then(base + 1)
          return this.opCsBegin(this.only(c.id), true, `${t.name} is the first non-owner to read ${c.label}, so it takes the dict's lock to mark it GC-SHARED (ensure_shared_on_read)`)
        }
        return this.dictTryRead(c, key, item, base, tagDeferred, done)
      case 1:
        this.then(base + 2)
        this.setO(c, 'gcBits', c.gcBits | GC_BITS.SHARED)
        return this.emit('dict.mark-shared', 'ensure_shared_on_read', this.n`${t.name} marks ${c.label} GC-SHARED: from now on its storage is freed with QSBR so lock-free readers stay safe.`)
      case 2:
        this.then(base + 3)
        return this.opCsEnd(true)
      case 3:
        return this.dictTryRead(c, key, item, base, tagDeferred, done)
      case 4:
        this.then(base + 5)
        return this.opCsBegin(this.only(c.id), true, `the lock-free read was refused, so ${t.name} falls back to ${c.label}'s lock`)
      case 5:
        this.then(base + 6)
        return this.newRefWithLock(item, `${this.keyLabel(c, key)} under ${c.label}'s lock`)
      default:
        this.then(base + done)
        return this.opCsEnd(true)
    }
  }

  private dictTryRead(c: MObject, key: Key, item: MObject, base: number, tagDeferred: boolean, done: number) {
    const t = this.thr()
    if (tagDeferred && (item.deferred || item.immortal)) {
      this.setTmp(item.id, true)
      this.then(base + done)
      return this.emit(
        'load.deferred',
        '_Py_dict_lookup_threadsafe_stackref',
        this.n`${t.name} loads ${this.keyLabel(c, key)}: ${item.label} is ${item.immortal ? 'immortal' : 'deferred'}, so it gets a tagged stack reference and no count changes.`,
      )
    }
    return this.tryIncref(item, c, key, base, 4, done)
  }

  /**
   * _Py_TryIncrefCompare / _Py_TryXGetRef: the owner's fast path, or an atomic add for others,
   * refused when the whole shared field is 0 or exactly MERGED with count 0 (the object may be
   * being freed). A refusal continues at `fallback`.
   */
  private tryIncref(item: MObject, c: MObject, key: Key, base: number, fallback: number, done: number) {
    const t = this.thr()
    if (item.freed) {
      this.violation('use-after-free', item.id, `${t.name} reads ${item.label} from ${this.keyLabel(c, key)} after it was freed`)
    }
    if (item.immortal) {
      this.setTmp(item.id, false)
      this.then(base + done)
      return this.emit('incref.immortal', '_Py_TryIncrefFast', this.n`${t.name} reads ${this.keyLabel(c, key)}: ${item.label} is immortal, nothing to count.`)
    }
    if (this.isOwner(item)) {
      this.setTmp(item.id, false)
      this.then(base + done)
      this.charge('plain', item)
      this.setLocal(item, item.local + 1)
      this.setRefs(item, item.refs + 1)
      return this.emit('incref.local', '_Py_TryIncrefFast', this.n`${t.name} reads ${this.keyLabel(c, key)} without a lock; it owns ${item.label}, so it adds 1 to ob_ref_local with a plain store (now ${item.local}).`)
    }
    const refuse = !item.deferred && item.shared === 0 && (item.state === S_DEFAULT || item.state === S_MERGED)
    if (refuse) {
      this.then(base + fallback)
      return this.emit(
        'tryincref.refused',
        '_Py_TryIncRefShared',
        this.n`${t.name} tries a lock-free read of ${this.keyLabel(c, key)}, but ${item.label}'s whole ob_ref_shared is ${item.state === S_MERGED ? 'MERGED with count 0' : '0'}: it might be being freed, so the try-incref refuses.`,
      )
    }
    this.setTmp(item.id, false)
    this.then(base + done)
    this.charge('atomic', item)
    this.setShared(item, item.shared + 1)
    this.setRefs(item, item.refs + 1)
    return this.emit('incref.shared', '_Py_TryIncRefShared', this.n`${t.name} reads ${this.keyLabel(c, key)} without a lock: it does not own ${item.label}, so a compare-and-swap adds 1 to ob_ref_shared (count now ${item.shared}).`)
  }

  /** pycore_object.h _Py_NewRefWithLock: incref; a non-owner also sets MAYBE_WEAKREF if no state bit is set. */
  private newRefWithLock(item: MObject, what: string) {
    const t = this.thr()
    this.setTmp(item.id, false)
    if (item.immortal) return this.emit('incref.immortal', '_Py_NewRefWithLock', this.n`${t.name} reads ${what}: ${item.label} is immortal.`)
    if (this.isOwner(item)) {
      this.charge('plain', item)
      this.setLocal(item, item.local + 1)
      this.setRefs(item, item.refs + 1)
      return this.emit('incref.local', '_Py_NewRefWithLock', this.n`${t.name} reads ${what}; it owns ${item.label}: ob_ref_local + 1 = ${item.local}.`)
    }
    this.charge('atomic', item)
    const setWeak = item.state === S_DEFAULT
    this.setShared(item, item.shared + 1)
    if (setWeak) this.setState(item, S_WEAKREF)
    this.setRefs(item, item.refs + 1)
    return this.emit(
      'incref.shared',
      '_Py_NewRefWithLock',
      this.n`${t.name} reads ${what}: an atomic add to ${item.label}'s ob_ref_shared (count ${item.shared})${setWeak ? ', and because no state bit was set it also sets MAYBE_WEAKREF, so later readers may try-incref it without the lock' : ''}.`,
    )
  }

  /** q.put(x): the queue keeps the reference the putter took; a waiting getter wakes up. */
  private queuePut(q: MObject) {
    const t = this.thr()
    const obj = this.rt[this.cur]!.tmp
    this.setSlots(q, append(q.slots, this.listSlot(obj)))
    const waiter = this.w.threads.find((x) => x.blockedOn?.kind === 'queue' && x.blockedOn.obj === q.id)
    if (waiter) {
      // It stays detached until it runs again and re-attaches.
      this.setBlockedOn(waiter, null)
    }
    this.emit('queue.put', 'Queue.put', this.n`${t.name} puts ${this.label(obj)} into ${q.label}${waiter ? `, which wakes ${waiter.name}` : ''}.`)
  }

  /** y = q.get(): moves the queue's reference to the getter; blocks (detached) when empty. */
  private queueGet(q: MObject, then: Op) {
    const t = this.thr()
    if (q.slots.length === 0) {
      // When woken: re-attach first, then retry the get.
      this.push(OP_ATTACH, (then as number) & ~255)
      return this.detach({ kind: 'queue', obj: q.id }, 'queue.wait', `${t.name} calls ${q.label}.get() on an empty queue: it blocks, detaching from the interpreter`)
    }
    const item = q.slots[0]!.obj
    this.setSlots(q, q.slots.slice(1))
    this.setTmp(item, false)
    this.push(then)
    return this.emit('queue.get', 'Queue.get', this.n`${t.name} takes ${this.label(item)} from ${q.label}: the queue's reference becomes ${t.name}'s, with no count change.`)
  }

  // ------------------------------------------------------------------ reference counting

  /** Allocation: object.c new_reference, on this thread's heap. */
  private opAlloc(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    const page = this.placeOnHeap(o, this.cur)
    let collected = ''
    if (page.threadFreeList.length) {
      // mimalloc _mi_page_free_collect: the owner takes back blocks other threads freed.
      collected = ` First ${t.name} collects ${page.threadFreeList.length} block(s) that other threads freed on this page.`
      this.setP(page, 'freeList', page.freeList.concat(page.threadFreeList))
      this.setP(page, 'threadFreeList', [])
    }
    this.initHeader(o, this.cur)
    this.setTmp(id, false)
    const decl = this.sc.objects[id]!
    this.charge('plain', o)
    return this.emit(
      'alloc',
      o.type === 'function' ? 'PyFunction_New' : '_PyObject_New',
      this.n`${t.name} creates ${o.label}, ${decl.literal ? `the int ${decl.literal}` : `a${/^[aeiouAEIOU]/.test(o.type) ? 'n' : ''} ${o.type}`}, on its own heap at ${hex(o.address)}.${collected} ${this.ft ? `${t.name} owns it: ob_tid = ${t.name}, ob_ref_local = 1, ob_ref_shared = 0${o.deferred ? ' plus the deferred bias (functions use deferred reference counting)' : ''}.` : 'ob_refcnt = 1.'}`,
    )
  }

  /** Py_INCREF (Include/refcount.h). */
  private opIncref(id: number, c?: 'cref' | 'tmp', why = '') {
    const t = this.thr()
    const o = this.obj(id)
    const reason = why ? this.parenthesised(why) : ''
    if (c === 'cref' && !o.immortal) this.setCRefs(t, append(t.cRefs, id))
    if (o.freed) {
      this.violation('use-after-free', id, `${t.name} increments the count of ${o.label}, which was already freed (by ${this.name(o.freedBy)})`)
      return this.emit('incref.freed', 'Py_INCREF', this.n`${t.name} increments ${o.label}'s count, but ${o.label} was already freed: a use-after-free.`)
    }
    if (o.immortal) {
      return this.emit('incref.immortal', 'Py_INCREF', this.n`${t.name} increfs ${o.label}${reason}: it is immortal (ob_ref_local = 0xFFFFFFFF), so nothing is written.`)
    }
    switch (this.mode) {
      case 'free-threaded':
        if (this.isOwner(o)) {
          this.charge('plain', o)
          this.setLocal(o, o.local + 1)
          this.setRefs(o, o.refs + 1)
          return this.emit('incref.local', 'Py_INCREF', this.n`${t.name} owns ${o.label}, so it adds 1 to ob_ref_local with a plain store: ${o.local - 1} → ${o.local}${reason}.`)
        }
        this.charge('atomic', o)
        this.setShared(o, o.shared + 1)
        this.setRefs(o, o.refs + 1)
        return this.emit(
          'incref.shared',
          'Py_INCREF',
          this.n`${t.name} is not ${o.label}'s owner (${this.ownerName(o)}), so it atomically adds 1 to ob_ref_shared: count ${o.shared - 1} → ${o.shared}${reason}.`,
        )
      case 'gil':
        this.charge('plain', o)
        this.setRefcnt(o, o.refcnt + 1)
        this.setRefs(o, o.refs + 1)
        return this.emit('incref', 'Py_INCREF', this.n`${t.name} holds the GIL, so a plain ob_refcnt++ is safe: ${o.refcnt - 1} → ${o.refcnt}${reason}.`)
      case 'atomic':
        this.charge('atomic', o)
        this.setRefcnt(o, o.refcnt + 1)
        this.setRefs(o, o.refs + 1)
        return this.emit('incref.atomic', 'Py_INCREF', this.n`${t.name} atomically adds 1 to ob_refcnt: ${o.refcnt - 1} → ${o.refcnt}${reason} (a locked instruction, even if no other thread uses ${o.label}).`)
      case 'unsafe':
        this.setT(t, 'register', { obj: id, value: o.refcnt })
        this.push1(this.op(UNSAFE_INC, id))
        return this.emit('incref.read', 'Py_INCREF', this.n`${t.name} reads ${o.label}'s ob_refcnt (${o.refcnt}) into a register to add 1${reason}. Nothing stops another thread from changing it before the write.`)
    }
  }

  /** Py_DECREF (Include/refcount.h, GIL-disabled variant). */
  private opDecref(id: number, c?: 'cref' | 'drop', why = '') {
    const t = this.thr()
    const o = this.obj(id)
    const reason = why ? this.parenthesised(why, t.name) : ''
    if (c === 'cref') {
      const i = t.cRefs.lastIndexOf(id)
      if (i >= 0) this.setCRefs(t, withoutIndex(t.cRefs, i))
    }
    if (o.freed) {
      this.violation('use-after-free', id, `${t.name} decrements the count of ${o.label}, which was already freed (by ${this.name(o.freedBy)})`)
      return this.emit('decref.freed', 'Py_DECREF', this.n`${t.name} decrements ${o.label}'s count, but ${o.label} was already freed: a use-after-free.`)
    }
    if (o.immortal) {
      return this.emit('decref.immortal', 'Py_DECREF', this.n`${t.name} decrefs ${o.label}${reason}: it is immortal, so nothing changes and it is never freed.`)
    }
    switch (this.mode) {
      case 'free-threaded': {
        if (this.isOwner(o)) {
          this.charge('plain', o)
          this.setLocal(o, o.local - 1)
          this.setRefs(o, o.refs - 1)
          if (o.local > 0) {
            return this.emit('decref.local', 'Py_DECREF', this.n`${t.name} owns ${o.label}: a plain store takes ob_ref_local ${o.local + 1} → ${o.local}${reason}.`)
          }
          if (!o.deferred && o.shared === 0 && o.state === S_DEFAULT) {
            this.push1(this.op(DEALLOC, id))
            return this.emit(
              'decref.local',
              '_Py_MergeZeroLocalRefcount',
              this.n`${t.name} drops ob_ref_local to 0${reason}, and the whole ob_ref_shared field is 0: no other thread has a reference, so the owner frees ${o.label} at once (without clearing ob_tid).`,
            )
          }
          this.push1(this.op(MERGE_ZERO, id))
          return this.emit('decref.local', 'Py_DECREF', this.n`${t.name} drops ob_ref_local to 0${reason}, but ob_ref_shared is not 0, so the owner must merge the two counts.`)
        }
        if (this.sharedFieldZeroOrOne(o)) {
          // _Py_DecRefSharedIsDead: the count would go negative; queue instead of subtracting.
          this.charge('atomic', o)
          this.setState(o, S_QUEUED)
          this.push1(this.op(QUEUE_PUSH, id))
          return this.emit(
            'decref.queue',
            '_Py_DecRefShared',
            this.n`${t.name} is not ${o.label}'s owner and ob_ref_shared is ${o.state === S_WEAKREF ? '1 (count 0, MAYBE_WEAKREF)' : '0'}${reason}: subtracting would make the count negative, so a CAS sets the state to QUEUED (count stays 0) and the reference goes to the owner's merge queue instead.`,
          )
        }
        this.charge('atomic', o)
        this.setShared(o, o.shared - 1)
        this.setRefs(o, o.refs - 1)
        if (o.state === S_MERGED && o.shared === 0 && !o.deferred) {
          this.push1(this.op(DEALLOC, id))
          return this.emit('decref.shared', '_Py_DecRefShared', this.n`${t.name} atomically subtracts 1 from ${o.label}'s ob_ref_shared${reason}: MERGED with count 0, so the object is dead and ${t.name} frees it.`)
        }
        return this.emit(
          'decref.shared',
          '_Py_DecRefShared',
          this.n`${t.name} is not ${o.label}'s owner, so it atomically subtracts 1 from ob_ref_shared${reason}: count ${o.shared + 1} → ${o.shared}${o.shared < 0 ? ' (negative is fine: the owner still holds local references)' : ''}.`,
        )
      }
      case 'gil':
      case 'atomic': {
        this.charge(this.mode === 'gil' ? 'plain' : 'atomic', o)
        this.setRefcnt(o, o.refcnt - 1)
        this.setRefs(o, o.refs - 1)
        if (o.refcnt === 0) this.push1(this.op(DEALLOC, id))
        return this.emit(
          this.mode === 'gil' ? 'decref' : 'decref.atomic',
          'Py_DECREF',
          this.n`${t.name} ${this.mode === 'gil' ? 'decrements ob_refcnt under the GIL' : 'atomically decrements ob_refcnt'}${reason}: ${o.refcnt + 1} → ${o.refcnt}${o.refcnt === 0 ? `, so ${t.name} frees ${o.label}` : ''}.`,
        )
      }
      case 'unsafe':
        this.setT(t, 'register', { obj: id, value: o.refcnt })
        this.push1(this.op(UNSAFE_DEC, id))
        return this.emit('decref.read', 'Py_DECREF', this.n`${t.name} reads ${o.label}'s ob_refcnt (${o.refcnt}) into a register to subtract 1${reason}.`)
    }
  }

  /** unsafe mode: the write half of a non-atomic ob_refcnt++ / --. */
  private opUnsafeWrite(id: number, delta: 1 | -1) {
    const t = this.thr()
    const o = this.obj(id)
    const reg = t.register!
    this.setT(t, 'register', null)
    if (o.freed) {
      this.violation('use-after-free', id, `${t.name} writes the count of ${o.label} after it was freed`)
      return this.emit('refcnt.write-freed', delta > 0 ? 'Py_INCREF' : 'Py_DECREF', this.n`${t.name} writes ${reg.value + delta} into ${o.label}'s ob_refcnt, but ${o.label} was already freed: a use-after-free.`)
    }
    const before = o.refcnt
    const lost = before !== reg.value
    this.charge('plain', o)
    this.setRefcnt(o, reg.value + delta)
    this.setRefs(o, o.refs + delta)
    if (delta < 0 && o.refcnt === 0) this.push1(this.op(DEALLOC, id))
    return this.emit(
      delta > 0 ? 'incref.write' : 'decref.write',
      delta > 0 ? 'Py_INCREF' : 'Py_DECREF',
      this.n`${t.name} writes ${reg.value} ${delta > 0 ? '+' : '−'} 1 = ${o.refcnt} back to ${o.label}'s ob_refcnt${lost ? `, but another thread had changed it to ${before} meanwhile: that update is lost` : ''}${o.refcnt === 0 ? `; it reads 0, so ${t.name} frees ${o.label}` : ''}.`,
    )
  }

  /** Objects/object.c _Py_MergeZeroLocalRefcount, slow path: give up ownership, mark MERGED. */
  private opMergeZero(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    if (!this.sharedFieldZeroOrOne(o) || o.state !== S_DEFAULT || o.shared !== 0 || o.deferred) {
      this.setO(o, 'tid', 0)
      this.setState(o, S_MERGED)
      const dead = !o.deferred && o.shared === 0 && o.local === 0
      if (dead) this.push1(this.op(DEALLOC, id))
      return this.emit(
        'merge.zero',
        '_Py_MergeZeroLocalRefcount',
        this.n`${t.name} clears ob_tid (${o.label} no longer has an owner) and sets the state to MERGED, keeping the shared count ${o.shared}${o.deferred ? ' plus the deferred bias: a deferred object is never freed by its count, only by the collector' : ''}.${dead ? ` The count is 0, so ${t.name} frees it.` : ' Other threads still hold references; the last one to let go will free it.'}`,
      )
    }
    this.push1(this.op(DEALLOC, id))
    return this.emit('merge.zero', '_Py_MergeZeroLocalRefcount', this.n`ob_ref_shared of ${o.label} went back to 0 meanwhile, so ${t.name} frees it.`)
  }

  /** Python/brc.c _Py_brc_queue_object. */
  private opQueuePush(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    if (o.tid === 0) {
      this.push1(this.op(DECREF, id))
      return this.emit('brc.owner-gone', '_Py_brc_queue_object', this.n`${o.label}'s owner merged it concurrently (ob_tid is 0), so the queue's reference is simply released with a normal decref.`)
    }
    const owner = this.threadOfTid(o.tid)
    const ownerThread = this.w.threads[owner]
    if (!ownerThread || ownerThread.status === 'exited') {
      const total = o.shared + o.local - 1
      this.setO(o, 'tid', 0)
      this.setLocal(o, 0)
      this.setShared(o, total)
      this.setState(o, S_MERGED)
      this.setRefs(o, o.refs - 1)
      this.charge('atomic', o)
      if (total === 0 && !o.deferred) this.push1(this.op(DEALLOC, id))
      return this.emit(
        'brc.merge-here',
        '_Py_ExplicitMergeRefcount',
        this.n`${o.label}'s owner ${ownerThread?.name ?? '?'} has exited, so no thread would ever merge it: ${t.name} merges it right here (count = shared + local − 1 = ${total}, owner none, MERGED)${total === 0 ? ` and frees it` : ''}.`,
      )
    }
    this.setT(ownerThread, 'queue', append(ownerThread.queue, id))
    return this.emit(
      'brc.queue',
      '_Py_brc_queue_object',
      this.n`${t.name} pushes ${o.label} onto ${ownerThread.name}'s merge queue and sets ${ownerThread.name}'s eval-breaker bit: ${ownerThread.name} will merge it the next time it checks${ownerThread.blockedOn ? ' (it is blocked now, so that will wait)' : ''}.`,
    )
  }

  /** Python/brc.c _Py_brc_merge_refcounts → _Py_ExplicitMergeRefcount(op, -1), run by the owner. */
  private opMerge(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    const oldLocal = o.local
    const oldShared = o.shared
    const i = t.queue.indexOf(id)
    this.setT(t, 'queue', withoutIndex(t.queue, i))
    const total = o.shared + o.local - 1
    this.charge('atomic', o)
    this.setO(o, 'tid', 0)
    this.setLocal(o, 0)
    this.setShared(o, total)
    this.setState(o, S_MERGED)
    this.setRefs(o, o.refs - 1)
    const dead = total === 0 && !o.deferred
    if (dead) this.push1(this.op(DEALLOC, id))
    return this.emit(
      'brc.merge',
      '_Py_brc_merge_refcounts',
      this.n`${t.name} checks its eval breaker, finds ${o.label} in its merge queue and merges it: shared ${oldShared} + local ${oldLocal} − 1 (the queue's own reference) = ${total}, ob_ref_local 0, owner none, state MERGED.${dead ? ` Nothing references it any more: ${t.name} frees it.` : ''}`,
    )
  }

  /** _Py_Dealloc: the object dies; its block returns to its page; its references are released. */
  private opDealloc(id: number, byGc: boolean) {
    const t = this.thr()
    const o = this.obj(id)
    if (o.freed) {
      this.violation('use-after-free', id, `${o.label} is freed a second time, by ${t.name}`)
      return this.emit('dealloc.double', '_Py_Dealloc', this.n`${t.name} frees ${o.label} again: a double free.`)
    }
    void byGc
    if (o.refs > 0) {
      this.violation('use-after-free', id, `${o.label} is freed by ${t.name} while ${o.refs} reference${o.refs > 1 ? 's' : ''} to it still exist${o.refs > 1 ? '' : 's'}${this.holders(id)}`)
    }
    this.setO(o, 'freed', true)
    this.setO(o, 'freedBy', this.cur)
    const page = this.w.pages[o.page]
    let where = ''
    if (page) {
      if (page.owner === this.cur) {
        this.setP(page, 'freeList', append(page.freeList, id))
        where = `its block goes back on the free list of ${t.name}'s page ${page.id}`
      } else {
        this.setP(page, 'threadFreeList', append(page.threadFreeList, id))
        where = `the block belongs to ${page.owner >= 0 ? `${this.name(page.owner)}'s` : 'an abandoned'} page ${page.id}, so it goes on that page's cross-thread free list`
      }
    }
    const children = o.slots.map((s) => s.obj)
    if (children.length) {
      this.setSlots(o, [])
      this.push(...children.map((obj): Op => ({ k: 'decref', obj, c: 'drop' })))
    }
    return this.emit(
      'dealloc',
      '_Py_Dealloc',
      this.n`${t.name} frees ${o.label}: ${where}${children.length ? `; then it releases the ${children.length} reference${children.length > 1 ? 's' : ''} ${o.label} held` : ''}.`,
    )
  }

  /** Who still holds references to obj, for violation messages. */
  private holders(obj: number): string {
    const who: string[] = []
    for (const t of this.w.threads) {
      for (const v of t.vars) if (v.obj === obj && !v.deferred) who.push(`${t.name}'s ${v.name}`)
      if (t.queue.includes(obj)) who.push(`${t.name}'s merge queue`)
    }
    for (const c of this.w.objects) if (!c.freed && c.slots.some((s) => s.obj === obj)) who.push(c.label)
    return who.length ? ` (held by ${who.join(', ')})` : ''
  }

  // ------------------------------------------------------------------ mutexes and critical sections

  private topSection(t: MThread): CriticalSection | undefined {
    return t.sections[t.sections.length - 1]
  }
  private replaceTop(t: MThread, s: CriticalSection) {
    this.setSections(t, replaceLast(t.sections, s))
  }
  private lockNames(objs: readonly number[]): string {
    return objs.map((o) => this.label(o)).join(' and ')
  }

  /** Py_BEGIN_CRITICAL_SECTION(1|2): Python/critical_section.c. */
  private opCsBegin(objs: readonly number[], internal: boolean, why = '') {
    const t = this.thr()
    const rt = this.rt[this.cur]!
    const reason = why ? this.parenthesised(why) : ''
    if (this.mode === 'gil') {
      rt.csMarks.push(false)
      return this.emit('cs.noop', 'Py_BEGIN_CRITICAL_SECTION', this.n`In a GIL build Py_BEGIN_CRITICAL_SECTION expands to nothing: the GIL already serialises ${t.name}.`)
    }
    let order = objs
    if (objs.length === 2 && objs[0] === objs[1]) order = [objs[0]!]
    if (order.length === 2 && this.obj(order[1]!).address < this.obj(order[0]!).address) order = [order[1]!, order[0]!]
    const top = this.topSection(t)
    const first = this.obj(order[0]!)
    // No-op re-entry: the top-most section already holds this mutex (h8).
    if (order.length === 1 && top && !top.beginning && top.held === top.objs.length && top.objs.includes(first.id) && first.lockedBy === this.cur) {
      rt.csMarks.push(false)
      return this.emit(
        'cs.reenter',
        '_PyCriticalSection_BeginSlow',
        this.n`${t.name} begins a critical section on ${first.label}${reason}, but its top-most section already holds that mutex: the new section is a no-op (nothing to lock, nothing to unlock at its end).`,
      )
    }
    rt.csMarks.push(true)
    this.setSections(t, append(t.sections, section(order, 0, true, false, this.curLine)))
    return this.acquireNext(t, this.csBeginText(t, order, reason))
  }

  /** Locks the next mutex of the top-most (beginning) section, or parks on it. */
  private acquireNext(t: MThread, prefix: string) {
    const s = this.topSection(t)!
    const o = this.obj(s.objs[s.held]!)
    const cpython = s.resuming ? '_PyCriticalSection_Resume' : s.objs.length === 2 ? '_PyCriticalSection2_BeginSlow' : '_PyCriticalSection_BeginSlow'
    if (o.lockedBy === -1) {
      this.charge('lock', o)
      this.setLockedBy(o, this.cur)
      const held = s.held + 1
      const complete = held === s.objs.length
      this.replaceTop(t, section(s.objs, held, !complete, !complete && s.resuming, s.line))
      if (!complete) this.push1(OP_CS_ACQUIRE)
      return this.emit(
        'cs.lock',
        s.held === 0 && s.objs.length === 1 && !s.resuming ? 'Py_BEGIN_CRITICAL_SECTION' : cpython,
        this.n`${prefix}: ${o.label}'s mutex is free, so one compare-and-swap locks it (ob_mutex = LOCKED).${complete ? '' : ` Next: ${this.label(s.objs[held]!)}.`}`,
      )
    }
    const holder = this.name(o.lockedBy)
    this.push1(OP_CS_ACQUIRE)
    return this.park(o, 'section', `${prefix}: ${o.label}'s mutex is held by ${o.lockedBy === this.cur ? `${t.name} itself (an outer section)` : holder}`, cpython)
  }

  private opCsAcquire() {
    const t = this.thr()
    const s = this.topSection(t)
    if (!s) return this.emit('cs.resumed', '_PyCriticalSection_Resume', this.n`${t.name} has no section left to lock.`)
    if (s.held === s.objs.length) {
      this.replaceTop(t, section(s.objs, s.held, false, false, s.line))
      return this.emit('cs.active', '_PyCriticalSection_BeginSlow', this.n`${t.name} now holds every mutex of its section on ${this.lockNames(s.objs)}: the section is active.`)
    }
    return this.acquireNext(t, `${t.name} continues its section on ${this.lockNames(s.objs)}`)
  }

  /**
   * _PyMutex_LockTimed, slow path: set HAS_PARKED, park, and detach, which suspends every
   * critical section the thread holds (_PyCriticalSection_SuspendAll).
   */
  private park(o: MObject, purpose: 'section' | 'direct', prefix: string, cpython: string) {
    const t = this.thr()
    this.setWaiters(o, append(o.waiters, this.cur))
    this.chargeWait(t, COST.parkAndWake)
    this.push1(OP_ATTACH)
    return this.detach(
      { kind: 'mutex', obj: o.id, purpose },
      purpose === 'section' ? 'cs.park' : 'mutex.park',
      `${prefix}. ${t.name} sets HAS_PARKED (ob_mutex = LOCKED|HAS_PARKED) and parks`,
      cpython,
    )
  }

  /**
   * Detaching from the interpreter (pystate.c detach_thread): suspends every critical section,
   * except what a section still being begun has already locked; drops the GIL in gil mode.
   */
  private detach(reason: BlockReason, op: string, prefix: string, cpython = '_PyThreadState_Detach') {
    const t = this.thr()
    // Status first: releasing a mutex may hand it straight back to this very thread (h7).
    // Waiting for a mutex is "blocked"; waiting for a queue or sleeping is plain "detached".
    this.setStatus(t, reason?.kind === 'mutex' ? 'blocked' : 'detached')
    this.setBlockedOn(t, reason)
    // A detached thread is safe for a collection that waits for it.
    this.reachSafePoint(t, false)
    const released: string[] = []
    const sections = t.sections.map((s) => {
      if (s.beginning || s.held === 0) return s
      for (let i = s.held - 1; i >= 0; i--) {
        const m = this.obj(s.objs[i]!)
        released.push(m.label)
        this.unlockMutex(m)
      }
      return section(s.objs, 0, s.beginning, s.resuming, s.line)
    })
    if (released.length) this.setSections(t, sections.map((s, i) => (t.sections[i]!.beginning ? t.sections[i]! : s)))
    let gil = ''
    if (this.mode === 'gil' && this.w.gil === this.cur) {
      this.setW('gil', -1)
      gil = ' It releases the GIL.'
    }
    const suspended = released.length
      ? ` Detaching suspends all its critical sections (_PyCriticalSection_SuspendAll): ${released.join(', ')} ${released.length > 1 ? 'are' : 'is'} unlocked so other threads can use ${released.length > 1 ? 'them' : 'it'}.`
      : ''
    return this.emit(op, cpython, this.n`${prefix}.${suspended}${gil}`)
  }

  /** PyMutex_Unlock: hands a contended mutex straight to the first waiter. */
  private unlockMutex(o: MObject) {
    if (o.waiters.length === 0) {
      this.setLockedBy(o, -1)
      return
    }
    const next = o.waiters[0]!
    const w = this.w.threads[next]!
    this.setWaiters(o, o.waiters.slice(1))
    this.setLockedBy(o, next)
    if (w.blockedOn?.kind === 'mutex' && w.blockedOn.purpose === 'direct') {
      this.setDirectLocks(w, append(w.directLocks, o.id))
    } else {
      const s = w.sections[w.sections.length - 1]
      if (s && s.objs[s.held] === o.id) {
        const sections = w.sections.slice()
        sections[sections.length - 1] = section(s.objs, s.held + 1, s.beginning, s.resuming, s.line)
        this.setSections(w, sections)
      }
    }
    this.setStatus(w, 'running')
    this.setBlockedOn(w, null)
  }

  /** _PyThreadState_Attach → _PyCriticalSection_Resume: re-lock only the top-most section. */
  private opAttach() {
    const t = this.thr()
    this.setStatus(t, 'running')
    const s = this.topSection(t)
    if (s && !s.beginning && s.held < s.objs.length) {
      this.replaceTop(t, section(s.objs, s.held, true, true, s.line))
      return this.acquireNext(t, `${t.name} re-attaches and resumes only its top-most critical section (${this.lockNames(s.objs)})`)
    }
    const outer = t.sections.filter((x) => x !== s && x.held < x.objs.length).length
    return this.emit(
      'attach',
      '_PyThreadState_Attach',
      this.n`${t.name} re-attaches to the interpreter${s ? (s.beginning ? ` and carries on taking its section on ${this.lockNames(s.objs)}` : '') : ''}${outer ? `; its ${outer} outer section${outer > 1 ? 's stay' : ' stays'} suspended until the inner ones end` : ''}.`,
    )
  }

  /** Py_END_CRITICAL_SECTION: unlock, pop, and resume the section below if it is suspended. */
  private opCsEnd(internal: boolean) {
    const t = this.thr()
    const rt = this.rt[this.cur]!
    const real = rt.csMarks.pop()
    if (!real) {
      return this.emit('cs.end-noop', 'Py_END_CRITICAL_SECTION', this.mode === 'gil' ? this.n`Py_END_CRITICAL_SECTION is empty in a GIL build.` : `${t.name} ends its no-op section: nothing to unlock.`)
    }
    const s = this.topSection(t)!
    for (let i = s.held - 1; i >= 0; i--) this.unlockMutex(this.obj(s.objs[i]!))
    const handed = s.objs.filter((id) => this.obj(id).lockedBy !== -1 && this.obj(id).lockedBy !== this.cur).map((id) => `${this.label(id)} → ${this.name(this.obj(id).lockedBy)}`)
    const sections = t.sections.slice(0, -1)
    this.setSections(t, sections)
    const below = sections[sections.length - 1]
    const text = `${t.name} ends its critical section on ${this.lockNames(s.objs)}${internal ? '' : ''}: unlocked${handed.length ? `, handed straight to the first parked waiter (${handed.join(', ')})` : ''}`
    if (below && below.held < below.objs.length) {
      this.setSections(t, replaceLast(sections, section(below.objs, below.held, true, true, below.line)))
      return this.acquireNext(t, `${text}. The section below it (${this.lockNames(below.objs)}) was suspended, so ${t.name} resumes it`)
    }
    return this.emit('cs.unlock', 'Py_END_CRITICAL_SECTION', this.n`${text}.`)
  }

  private opMutexLock(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    if (o.freed) this.violation('use-after-free', id, `${t.name} locks ${o.label} after it was freed`)
    if (o.lockedBy === -1) {
      this.charge('lock', o)
      this.setLockedBy(o, this.cur)
      this.setDirectLocks(t, append(t.directLocks, id))
      return this.emit('mutex.lock', 'PyMutex_Lock', this.n`${t.name} locks ${o.label}'s mutex directly with PyMutex_Lock: it was free, one compare-and-swap.`)
    }
    return this.park(o, 'direct', `${t.name} calls PyMutex_Lock(${o.label}), but ${o.lockedBy === this.cur ? `${t.name} already holds it` : `${this.name(o.lockedBy)} holds it`}; a plain mutex has no deadlock avoidance`, 'PyMutex_Lock')
  }

  private opMutexUnlock(id: number) {
    const t = this.thr()
    const o = this.obj(id)
    if (!t.directLocks.includes(id)) this.fail(`PyMutex_Unlock(${o.label}): ${t.name} does not hold ${o.label}'s mutex through PyMutex_Lock`)
    this.setDirectLocks(t, keepWhere(t.directLocks, (x) => x !== id))
    this.unlockMutex(o)
    const to = o.lockedBy >= 0 ? ` and hands it straight to ${this.name(o.lockedBy)}, which was parked on it` : ''
    return this.emit('mutex.unlock', 'PyMutex_Unlock', this.n`${t.name} unlocks ${o.label}'s mutex${to}.`)
  }

  // ------------------------------------------------------------------ the GIL

  /** take_gil: in gil mode a thread runs only while it holds the GIL. */
  private takeGil(t: number) {
    const thread = this.w.threads[t]!
    const holder = this.w.gil
    if (holder >= 0) {
      // drop_gil by the holder at its statement boundary: one micro-step; t takes it in its next.
      this.cur = holder
      const h = this.w.threads[holder]!
      const lines = this.tables.programLines[holder]!
      this.curLine = lines[Math.min(Math.max(h.pc - 1, 0), lines.length - 1)] ?? 0
      this.setW('gil', -1)
      this.rt[t]!.waitedForGil = true
      return this.emit('gil.drop', 'drop_gil', this.n`${h.name} reaches a statement boundary and drops the GIL because ${thread.name} is waiting for it.`)
    }
    this.curLine = this.currentLine(t)
    this.setW('gil', t)
    this.rt[t]!.gilStatements = 0
    const c = this.counters(thread)
    c.cycles += COST.gilHandoff
    if (this.rt[t]!.waitedForGil) c.contendedWaits++
    this.rt[t]!.waitedForGil = false
    this.emit('gil.take', 'take_gil', this.n`${thread.name} takes the GIL; only ${thread.name} can run Python code now.`)
  }

  /** Whether the GIL holder may give the GIL up now (generated schedules use switch_interval). */
  canOfferGil(strict: boolean): boolean {
    const h = this.w.gil
    if (h < 0) return true
    const holder = this.w.threads[h]!
    // A thread that took the GIL to re-attach (after sleep) keeps it until it has run.
    if (holder.blockedOn || holder.status === 'exited') return true
    if (this.inStatement(h)) return false
    if (!this.hasWork(h)) return true
    return !strict || this.rt[h]!.gilStatements >= this.sc.switchInterval
  }

  // ------------------------------------------------------------------ the collector

  /** gc.collect(): Python/gc_free_threading.c gc_collect_main, stop the world first. */
  private opGcStart() {
    const t = this.thr()
    if (this.w.collecting >= 0) {
      // gcstate->collecting: only one collection runs at a time; a second one returns at once.
      return this.emit('gc.busy', 'gc_collect_main', this.n`${t.name} calls gc.collect(), but ${this.name(this.w.collecting)}'s collection is still running, so it returns at once.`)
    }
    this.setW('collecting', this.cur)
    if (this.mode === 'gil') {
      this.push1(OP_GC_FIND)
      return this.emit('gc.start', 'gc_collect_main', this.n`${t.name} starts a collection. With the GIL held no other thread runs, so no world stop is needed.`)
    }
    this.setW('stoppedBy', this.cur)
    const stopped: string[] = []
    const stopping: number[] = []
    for (const other of this.w.threads) {
      if (other.index === this.cur || !other.started || other.status === 'exited') continue
      if ((other.status === 'running' || other.status === 'detached') && !other.blockedOn) {
        // A thread stops only at a safe point (its next eval-breaker check): one in the middle of
        // a statement finishes it first.
        if (this.inStatement(other.index) && other.status === 'running') stopping.push(other.index)
        else {
          stopped.push(other.name)
          this.stopThread(other)
        }
      }
    }
    this.setW('stopping', stopping)
    this.push1(OP_GC_STOPPED)
    const waiting = stopping.map((i) => `${this.name(i)} (line ${this.currentLine(i)})`)
    return this.emit(
      'gc.stop',
      '_PyEval_StopTheWorld',
      this.n`${t.name} starts a collection and asks every thread to stop at a safe point${stopped.length ? `: ${stopped.join(', ')} ${stopped.length > 1 ? 'stop' : 'stops'} now (detached, critical sections suspended)` : ''}${waiting.length ? `; ${waiting.join(', ')} first ${waiting.length > 1 ? 'finish their statements' : 'finishes its statement'}` : ''}${stopped.length || waiting.length ? '' : ': no other thread is running'}.`,
    )
  }

  /** A thread pauses for a collection: it detaches, which suspends its critical sections. */
  private stopThread(other: MThread) {
    const sections = other.sections.map((s) => {
      if (s.beginning) return s
      for (let i = s.held - 1; i >= 0; i--) this.unlockMutex(this.obj(s.objs[i]!))
      return section(s.objs, 0, s.beginning, s.resuming, s.line)
    })
    this.setSections(other, sections)
    this.setStatus(other, 'stopped')
  }

  /** Called when thread t ends a statement or detaches while a collection waits for it. */
  private reachSafePoint(t: MThread, stopNow: boolean) {
    if (!this.w.stopping.includes(t.index)) return
    this.setW('stopping', keepWhere(this.w.stopping, (x) => x !== t.index))
    if (stopNow) this.stopThread(t)
  }

  /** Every thread is at a safe point: merge the queues and abandoned objects, then find garbage. */
  private opGcStopped() {
    const t = this.thr()
    const ops: Op[] = []
    if (this.ft) {
      for (const other of this.w.threads) for (const obj of other.queue) ops.push({ k: 'gc-merge-queued', obj, owner: other.index })
      for (const o of this.w.objects) {
        const page = this.w.pages[o.page]
        if (!o.freed && o.allocated && o.tid !== 0 && o.state !== S_MERGED && o.gcBits & GC_BITS.TRACKED && page && page.owner === -1) {
          ops.push({ k: 'gc-merge-abandoned', obj: o.id })
        }
      }
    }
    ops.push(OP_GC_FIND)
    this.push(...ops)
    return this.emit('gc.stopped', '_PyEval_StopTheWorld', this.n`Every other thread is at a safe point: the world is stopped and ${t.name} collects.`)
  }

  private opGcMergeQueued(id: number, owner: number) {
    const o = this.obj(id)
    const ownerThread = this.w.threads[owner]!
    const i = ownerThread.queue.indexOf(id)
    if (i >= 0) this.setT(ownerThread, 'queue', withoutIndex(ownerThread.queue, i))
    const total = o.shared + o.local - 1
    this.setO(o, 'tid', 0)
    this.setLocal(o, 0)
    this.setShared(o, total)
    this.setState(o, S_MERGED)
    this.setRefs(o, o.refs - 1)
    const dead = total === 0 && !o.deferred
    if (dead) this.rt[this.cur]!.gcZeroed.push(id)
    return this.emit(
      'gc.merge-queued',
      'merge_queued_objects',
      this.n`The collector merges ${o.label} from ${ownerThread.name}'s queue without waiting for ${ownerThread.name}: count = ${total}, owner none, MERGED.${dead ? ' It reached 0 and will be freed once the world restarts.' : ''}`,
    )
  }

  private opGcMergeAbandoned(id: number) {
    const o = this.obj(id)
    const total = o.shared + o.local
    const was = this.ownerName(o)
    this.setO(o, 'tid', 0)
    this.setLocal(o, 0)
    this.setShared(o, total)
    this.setState(o, S_MERGED)
    return this.emit(
      'gc.merge-abandoned',
      'gc_restore_tid',
      this.n`${o.label} lives on a page abandoned by an exited thread (its ob_tid still says ${was}), so the collector merges it: count = local + shared = ${total}, owner none, MERGED.`,
    )
  }

  /** update_refs / mark_heap: roots are objects with references from outside tracked objects. */
  private opGcFind() {
    // Objects the queue merge took to zero are freed by refcounting after the restart, not here.
    const zeroed = this.rt[this.cur]!.gcZeroed.splice(0)
    const live = this.w.objects.filter((o) => o.allocated && !o.freed && !o.immortal && o.gcBits & GC_BITS.TRACKED && !zeroed.includes(o.id))
    const gcRefs = new Map<number, number>()
    for (const o of live) {
      let refs = this.countOf(o)
      for (const th of this.w.threads) for (const v of th.vars) if (v.obj === o.id && v.deferred) refs++
      gcRefs.set(o.id, refs)
    }
    for (const o of live) for (const s of o.slots) if (gcRefs.has(s.obj)) gcRefs.set(s.obj, gcRefs.get(s.obj)! - 1)
    const reachable = new Set<number>()
    const stack = live.filter((o) => o.id === 0 || gcRefs.get(o.id)! > 0).map((o) => o.id)
    while (stack.length) {
      const id = stack.pop()!
      if (reachable.has(id)) continue
      reachable.add(id)
      for (const s of this.obj(id).slots) if (!reachable.has(s.obj)) stack.push(s.obj)
    }
    const garbage = live.filter((o) => !reachable.has(o.id)).map((o) => o.id)
    this.push(
      ...(this.w.stoppedBy === this.cur ? [OP_GC_RESTART] : []),
      ...zeroed.map((obj): Op => ({ k: 'dealloc', obj, gc: true })),
      ...garbage.map((obj): Op => ({ k: 'gc-free', obj, garbage })),
      OP_GC_END,
    )
    return this.emit(
      'gc.find',
      'deduce_unreachable_heap',
      this.n`The collector subtracts references between tracked objects${this.ft ? ' (and the deferred bias, adding tagged stack references)' : ''}: ${garbage.length ? `${garbage.map((g) => this.label(g)).join(', ')} ${garbage.length > 1 ? 'are' : 'is'} unreachable garbage` : 'everything is reachable, nothing to free'}.`,
    )
  }

  private opGcRestart() {
    const t = this.thr()
    const resumed: string[] = []
    const relocking: string[] = []
    for (const other of this.w.threads) {
      if (other.status !== 'stopped') continue
      resumed.push(other.name)
      const top = other.sections[other.sections.length - 1]
      if (top && top.held < top.objs.length && !top.beginning) {
        // It stays detached until it next runs and re-attaches, re-locking its top-most section
        // (_PyThreadState_Attach → _PyCriticalSection_Resume).
        this.setStatus(other, 'detached')
        this.rt[other.index]!.ops.push(OP_ATTACH)
        relocking.push(other.name)
      } else {
        this.setStatus(other, 'running')
      }
    }
    this.setW('stoppedBy', -1)
    return this.emit(
      'gc.restart',
      '_PyEval_StartTheWorld',
      this.n`${t.name} restarts the world${resumed.length ? `: ${resumed.join(', ')} may run again` : ''}${relocking.length ? `; ${relocking.join(', ')} will re-lock only ${relocking.length > 1 ? 'their' : 'its'} top-most critical section when ${relocking.length > 1 ? 'they re-attach' : 'it re-attaches'}` : ''}.`,
    )
  }

  private opGcEnd() {
    this.setW('collecting', -1)
    return this.emit('gc.end', 'gc_collect_main', this.n`${this.thr().name}'s collection is finished.`)
  }

  private opGcFree(id: number, garbage: number[]) {
    const t = this.thr()
    const o = this.obj(id)
    this.setO(o, 'freed', true)
    this.setO(o, 'freedBy', this.cur)
    this.setRefs(o, 0)
    const page = this.w.pages[o.page]
    if (page) {
      if (page.owner === this.cur) this.setP(page, 'freeList', append(page.freeList, id))
      else this.setP(page, 'threadFreeList', append(page.threadFreeList, id))
    }
    const outside = o.slots.map((s) => s.obj).filter((x) => !garbage.includes(x))
    this.setSlots(o, [])
    this.push(...outside.map((obj): Op => ({ k: 'decref', obj, c: 'drop' })))
    return this.emit(
      'gc.free',
      'delete_garbage',
      this.n`The collector (${t.name}) frees ${o.label}${o.deferred ? ', a deferred object that reference counting alone could never free' : ''}${outside.length ? `, then releases its references to ${outside.map((x) => this.label(x)).join(', ')}` : ''}.`,
    )
  }

  // ------------------------------------------------------------------ thread exit

  private opExitDrop(name: string) {
    const t = this.thr()
    const v = findVar(t.vars, name)
    if (!v) return this.emit('exit.drop', 'PyThreadState_Clear', this.n`${t.name}'s ${name} is already unbound.`)
    this.setVars(t, this.bindings.unbind(t.vars, name))
    if (v.deferred) return this.emit('drop.deferred', 'PyStackRef_CLOSE', this.n`${t.name} is exiting and drops ${name}, a tagged reference: no count changes.`)
    return this.opDecref(v.obj, 'drop', `is exiting and drops ${name}`)
  }

  private opExitDrain() {
    const t = this.thr()
    if (this.ft && t.queue.length) {
      this.push1(OP_EXIT_DRAIN)
      return this.opMerge(t.queue[0]!)
    }
    // Leaving the BRC table happens with the queue found empty, in one step: a later queueing
    // decref then finds no owner and merges itself (brc.c _Py_brc_remove_thread).
    return this.opExitFinish()
  }

  private opExitFinish() {
    const t = this.thr()
    const pages = this.w.pages.filter((p) => p.owner === this.cur)
    for (const p of pages) this.setP(p, 'owner', -1)
    const owned = this.w.objects.filter((o) => !o.freed && o.tid === t.tid && o.tid !== 0).map((o) => o.label)
    this.setStatus(t, 'exited')
    this.setCRefs(t, [])
    this.setW('freeTidSlots', append(this.w.freeTidSlots, (t.tid - TID_BASE) / TID_STRIDE))
    if (this.mode === 'gil' && this.w.gil === this.cur) this.setW('gil', -1)
    this.setPc(t, this.sc.programs[this.cur]!.length)
    return this.emit(
      'exit',
      '_PyThreadState_ClearMimallocHeaps',
      this.n`${t.name} exits: its heap pages${pages.length ? ` (${pages.map((p) => p.id).join(', ')})` : ''} are abandoned to the shared pool.${owned.length && this.ft ? ` Objects it owns (${owned.join(', ')}) are not visited: they keep ${t.name}'s now stale id in ob_tid.` : ''}`,
    )
  }
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`
}

export type { ScheduleSpec }
