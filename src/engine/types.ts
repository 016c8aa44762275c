// State and trace types of the simulation engine. Plain data only: no classes, no Maps, so a
// state can be cloned, frozen, serialised and compared cheaply.

export type Mode = 'free-threaded' | 'gil' | 'atomic' | 'unsafe'
export const MODES: readonly Mode[] = ['free-threaded', 'gil', 'atomic', 'unsafe']

/** The two low bits of `ob_ref_shared` (Include/refcount.h). */
export const REF_STATE = { default: 0, weakref: 1, queued: 2, merged: 3 } as const
export type RefStateName = keyof typeof REF_STATE
export const REF_STATE_NAMES: readonly RefStateName[] = ['default', 'weakref', 'queued', 'merged']

/** `_PyGC_BITS_*` (Include/internal/pycore_gc.h). */
export const GC_BITS = {
  TRACKED: 1,
  FINALIZED: 2,
  UNREACHABLE: 4,
  FROZEN: 8,
  SHARED: 16,
  ALIVE: 32,
  DEFERRED: 64,
} as const

export const IMMORTAL_LOCAL = 0xffffffff
/** `_Py_IMMORTAL_INITIAL_REFCNT`: what `sys.getrefcount` reports for an immortal. */
export const IMMORTAL_REFCNT = 3221225472
/** `_Py_REF_DEFERRED` = PY_SSIZE_T_MAX / 8, in count units. Exceeds 2^53, hence bigint. */
export const DEFERRED_BIAS = 1152921504606846975n
export const STATICALLY_ALLOCATED_FLAG = 4

export type ObjectType =
  | 'list'
  | 'dict'
  | 'object'
  | 'Queue'
  | 'function'
  | 'closure'
  | 'int'
  | 'NoneType'
  | 'bool'
  | 'str'
  | 'module-dict'

/** One outgoing reference held by a container slot. `key` is set for dict entries. */
export interface Slot {
  readonly key?: string
  readonly obj: number
}

/** A snapshot of one object. `id` indexes `WorldState.objects`. */
export interface ObjectState {
  readonly id: number
  readonly label: string
  readonly type: ObjectType
  /** False until the statement that creates it has run (immortals exist from the start). */
  readonly allocated: boolean
  readonly address: number
  /** Heap page index, or -1 for statically allocated immortals. */
  readonly page: number
  /** Raw `ob_tid`: a thread id, 0 when unowned (free-threaded mode only). */
  readonly tid: number
  readonly flags: number
  readonly gcBits: number
  /** `ob_ref_local`; IMMORTAL_LOCAL for immortals. */
  readonly local: number
  /** Count part of `ob_ref_shared`, *without* the deferred bias (see `deferred`). */
  readonly shared: number
  /** State bits of `ob_ref_shared` (0..3). */
  readonly state: number
  /** `ob_refcnt` in the gil, atomic and unsafe modes. */
  readonly refcnt: number
  readonly immortal: boolean
  readonly deferred: boolean
  /** Thread index holding `ob_mutex`, or -1. */
  readonly lockedBy: number
  /** Thread indices parked on `ob_mutex`, in parking order (HAS_PARKED when non-empty). */
  readonly waiters: readonly number[]
  readonly slots: readonly Slot[]
  readonly freed: boolean
  /** Thread index that freed it, or -1. */
  readonly freedBy: number
  /**
   * Counted references that really exist (variables with counted tags, container slots,
   * merge-queue entries, C references from Py_INCREF). Bookkeeping for checks and leak
   * detection, not a CPython field.
   */
  readonly refs: number
  /** Thread index that last wrote the header's cache line, or -1. */
  readonly lastWriter: number
}

export type ThreadStatus = 'running' | 'blocked' | 'detached' | 'stopped' | 'exited'

export interface Variable {
  readonly name: string
  readonly obj: number
  /** A deferred-tagged stack reference: no refcount was taken for it. */
  readonly deferred: boolean
}

export interface CriticalSection {
  /** Objects whose mutexes this section locks, in locking order (lower address first). */
  readonly objs: readonly number[]
  /** How many of `objs` (from the start) this thread holds right now. */
  readonly held: number
  /** True while Py_BEGIN_… is still acquiring (the section holds nothing for SuspendAll). */
  readonly beginning: boolean
  /** True while a suspended section is being re-locked (_PyCriticalSection_Resume). */
  readonly resuming: boolean
  /** Line of the Py_BEGIN_… statement. */
  readonly line: number
}

export interface Counters {
  readonly plainWrites: number
  readonly atomicOps: number
  readonly cacheLineTransfers: number
  readonly lockAcquisitions: number
  readonly contendedWaits: number
  readonly cycles: number
}

export type BlockReason =
  | { readonly kind: 'mutex'; readonly obj: number; readonly purpose: 'section' | 'direct' }
  | { readonly kind: 'queue'; readonly obj: number }
  | { readonly kind: 'gil' }
  | null

export interface ThreadState {
  readonly index: number
  readonly name: string
  /** Raw thread id (`_Py_ThreadId()`), 0 until the thread starts. Reused after exit. */
  readonly tid: number
  readonly started: boolean
  readonly status: ThreadStatus
  readonly blockedOn: BlockReason
  readonly vars: readonly Variable[]
  /** Objects this thread holds C references to (Py_INCREF without a variable). */
  readonly cRefs: readonly number[]
  /** Critical-section stack, bottom first. No-op re-entries are not on it. */
  readonly sections: readonly CriticalSection[]
  /** Mutexes taken directly with PyMutex_Lock. */
  readonly directLocks: readonly number[]
  /** BRC merge queue (`objects_to_merge`), oldest first. */
  readonly queue: readonly number[]
  /** unsafe mode: the value read from ob_refcnt and not yet written back, or null. */
  readonly register: { readonly obj: number; readonly value: number } | null
  /** Index of the statement the thread is on (== program length when done). */
  readonly pc: number
  readonly counters: Counters
}

export interface PageState {
  readonly id: number
  /** Thread index of the owning heap, or -1 once abandoned. */
  readonly owner: number
  readonly blocks: readonly number[]
  /** Blocks freed by the owner. */
  readonly freeList: readonly number[]
  /** Blocks freed by other threads, not yet collected by the owner (mimalloc `xthread_free`). */
  readonly threadFreeList: readonly number[]
}

export interface WorldState {
  readonly mode: Mode
  readonly objects: readonly ObjectState[]
  readonly threads: readonly ThreadState[]
  readonly pages: readonly PageState[]
  /** Thread index holding the GIL (gil mode), or -1. */
  readonly gil: number
  /** Thread index running a stop-the-world collection, or -1. */
  readonly stoppedBy: number
  /** Threads the collection still waits for: they finish their statement, then stop. */
  readonly stopping: readonly number[]
  /** Thread index whose collection is in progress (only one at a time), or -1. */
  readonly collecting: number
  /** Next heap address: addresses increase in global allocation order. */
  readonly nextAddress: number
  /** Thread-id slot → the thread index that last received that id (ids are reused after exit). */
  readonly tidSlots: readonly number[]
  /** Slots of exited threads, reused most recent first (glibc reuses the freed TCB). */
  readonly freeTidSlots: readonly number[]
}

/** One field write, enough to replay forward (`value`) and backward (`old`). */
export interface Change {
  readonly target: 'object' | 'thread' | 'page' | 'world'
  /** Index in the target collection (ignored for 'world'). */
  readonly id: number
  readonly field: string
  readonly old: unknown
  readonly value: unknown
  /** Thread index whose action made the change. */
  readonly by: number
}

export type ViolationKind = 'use-after-free' | 'leak' | 'deadlock'

export interface Violation {
  readonly kind: ViolationKind
  readonly step: number
  readonly line: number
  readonly obj: number
  readonly message: string
}

/** One micro-step of the trace. */
export interface StepRecord {
  readonly index: number
  readonly thread: number
  readonly line: number
  /** The micro-step kind, e.g. 'incref.local', 'decref.queue', 'cs.park'. */
  readonly op: string
  /** The CPython function it models, e.g. '_Py_DecRefShared'. */
  readonly cpython: string
  readonly narration: string
  readonly changes: readonly Change[]
}
