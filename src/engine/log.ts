// Compact storage for a trace: every field write goes into one change log (parallel arrays, no
// object per change), and each micro-step is one small record pointing at its range of the log.
// `Step.changes` materialises Change objects only when someone asks for them.

import type { Change, StepRecord } from './types'

const TARGETS: readonly Change['target'][] = ['object', 'thread', 'page', 'world']

/** Field names are interned: a change stores a small number, not a string. */
const FIELD_IDS = new Map<string, number>()
export const FIELD_NAMES: string[] = []
export function fieldId(name: string): number {
  let id = FIELD_IDS.get(name)
  if (id === undefined) {
    id = FIELD_NAMES.length
    FIELD_NAMES.push(name)
    FIELD_IDS.set(name, id)
  }
  return id
}

/**
 * The ids of the fields the machine writes, as named properties of one object: `FIELD.shared`
 * (or FIELD[field] with a constant field once inlined) is a plain property load, not a Map lookup.
 */
export const FIELD: Readonly<Record<string, number>> = Object.fromEntries(
  [
    // ObjectState
    'id', 'label', 'type', 'allocated', 'address', 'page', 'tid', 'flags', 'gcBits', 'local', 'shared', 'state', 'refcnt',
    'immortal', 'deferred', 'lockedBy', 'waiters', 'slots', 'freed', 'freedBy', 'refs', 'lastWriter',
    // ThreadState
    'index', 'name', 'started', 'status', 'blockedOn', 'vars', 'cRefs', 'sections', 'directLocks', 'queue', 'register', 'pc', 'counters',
    // PageState (and '*', a whole page coming into existence)
    'owner', 'blocks', 'freeList', 'threadFreeList', '*',
    // WorldState
    'mode', 'objects', 'threads', 'pages', 'gil', 'stoppedBy', 'stopping', 'collecting', 'nextAddress', 'tidSlots', 'freeTidSlots',
  ].map((name) => [name, fieldId(name)]),
)

/** A growable Int32Array: flat numbers without per-element boxing or GC work. */
export class IntList {
  data = new Int32Array(1024)
  length = 0
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
  get(i: number): number {
    return this.data[i]!
  }
}

/** A growable Float64Array: numbers stored flat, which the collector never scans. */
export class FloatList {
  data = new Float64Array(1024)
  length = 0
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
}

const CHUNK_SHIFT = 12
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1

/**
 * A growable list of values in chunks of 4,096: pushing never copies what is stored already (a
 * long plain array is copied, and its old copy left to the collector, each time it grows). The
 * first chunk grows as needed, so a short list stays small; every later one is allocated at
 * full size at once. (Chunks of 16,384 would land in V8's large-object space, whose
 * allocations cost more than the young-generation copies they save.)
 */
export class ChunkList<T> {
  private readonly chunks: T[][] = []
  private chunk: T[] = []
  length = 0
  push(v: T) {
    const i = this.length & CHUNK_MASK
    if (i === 0) {
      this.chunk = this.length === 0 ? [] : new Array<T>(CHUNK_MASK + 1)
      this.chunks.push(this.chunk)
    }
    this.chunk[i] = v
    this.length++
  }
  get(i: number): T {
    return this.chunks[i >>> CHUNK_SHIFT]![i & CHUNK_MASK]!
  }
  clear() {
    this.chunks.length = 0
    this.length = 0
  }
}

// A change's meta word: target (2 bits) | by << 2 (8 bits) | OLD_IS_REF | VALUE_IS_REF | field << 12.
const OLD_IS_REF = 1 << 10
const VALUE_IS_REF = 1 << 11
export const FIELD_SHIFT = 12

export class ChangeLog {
  /** target | by << 2 | OLD_IS_REF | VALUE_IS_REF | field << FIELD_SHIFT */
  readonly meta = new IntList()
  readonly ids = new IntList()
  /**
   * Old and new values. Numbers (almost every write: counts, states, owners, program counters)
   * are stored as they are; anything else sits in `refs`, and the number is its index there.
   * Flat numbers keep the log out of the collector's way: a long trace is mostly typed arrays.
   */
  readonly olds = new FloatList()
  readonly values = new FloatList()
  readonly refs = new ChunkList<unknown>()

  get length(): number {
    return this.meta.length
  }

  /** `target`: 0 object, 1 thread, 2 page, 3 world (TARGET_CODE). */
  push(target: number, id: number, field: number, old: unknown, value: unknown, by: number) {
    let meta = target | (by << 2) | (field << FIELD_SHIFT)
    if (typeof old === 'number') this.olds.push(old)
    else {
      meta |= OLD_IS_REF
      this.olds.push(this.refs.length)
      this.refs.push(old)
    }
    if (typeof value === 'number') this.values.push(value)
    else {
      meta |= VALUE_IS_REF
      this.values.push(this.refs.length)
      this.refs.push(value)
    }
    this.meta.push(meta)
    this.ids.push(id)
  }

  /** The value change i wrote. */
  valueAt(i: number): unknown {
    const v = this.values.data[i]!
    return this.meta.data[i]! & VALUE_IS_REF ? this.refs.get(v) : v
  }
  /** The value change i overwrote. */
  oldAt(i: number): unknown {
    const v = this.olds.data[i]!
    return this.meta.data[i]! & OLD_IS_REF ? this.refs.get(v) : v
  }

  /** Forgets everything (the machine's set-up writes are not part of any step). */
  clear() {
    this.meta.length = this.ids.length = this.olds.length = this.values.length = 0
    this.refs.clear()
  }

  change(i: number): Change {
    const meta = this.meta.data[i]!
    return {
      target: TARGETS[meta & 3]!,
      id: this.ids.data[i]!,
      field: FIELD_NAMES[meta >>> FIELD_SHIFT]!,
      old: this.oldAt(i),
      value: this.valueAt(i),
      by: (meta >>> 2) & 0xff,
    }
  }
}

/** Interned strings (op and CPython function names): a step stores small numbers. */
class Interner {
  readonly ids = new Map<string, number>()
  readonly names: string[] = []
  id(name: string): number {
    let id = this.ids.get(name)
    if (id === undefined) {
      id = this.names.length
      this.names.push(name)
      this.ids.set(name, id)
    }
    return id
  }
}

/**
 * A narration template: `strings` are the literal parts (one array per call site, shared), the
 * values sit in the recording's flat value array. Joined into text only when read.
 */
export type NarrationTemplate = readonly string[]
/** The template of a narration part that is a whole sentence: '' + sentence + ''. */
const SENTENCE: NarrationTemplate = ['', '']

/**
 * Everything a run records, in flat arrays: the change log, and per micro-step its thread, line,
 * kind, CPython function, log range and narration parts. Nothing per step is an
 * object until someone asks (Recording.step), so recording a long trace stays cheap.
 */
export class Recording extends ChangeLog {
  private readonly interner = new Interner()
  readonly stepThread = new IntList()
  readonly stepLine = new IntList()
  /** op id | cpython id << 16 */
  readonly stepKind = new IntList()
  /** Start of each step's log range; it ends where the next one starts. */
  readonly stepStart = new IntList()
  /** Start of each step's narration parts (a step can have several, when a bind is folded in). */
  readonly stepNarration = new IntList()
  readonly narrationTemplate = new ChunkList<NarrationTemplate>()
  readonly narrationValueStart = new IntList()
  readonly narrationValues = new ChunkList<unknown>()

  get stepCount(): number {
    return this.stepThread.length
  }

  /** Forgets every step too (the explorer runs millions of steps it never shows). */
  clearAll() {
    this.clear()
    this.stepThread.length = this.stepLine.length = this.stepKind.length = this.stepStart.length = 0
    this.stepNarration.length = this.narrationValueStart.length = 0
    this.narrationTemplate.clear()
    this.narrationValues.clear()
  }

  /** Records a micro-step whose changes start at `start` in the log. */
  addStep(start: number, thread: number, line: number, op: string, cpython: string, narration: number) {
    this.stepThread.push(thread)
    this.stepLine.push(line)
    this.stepKind.push(this.interner.id(op) | (this.interner.id(cpython) << 16))
    this.stepStart.push(start)
    this.stepNarration.push(narration)
  }
  /** A narration part that is one finished sentence (no array per call: a shared template). */
  addSentence(sentence: string): number {
    this.narrationTemplate.push(SENTENCE)
    this.narrationValueStart.push(this.narrationValues.length)
    this.narrationValues.push(sentence)
    return this.narrationTemplate.length - 1
  }

  start(i: number): number {
    return this.stepStart.data[i]!
  }
  end(i: number): number {
    return i + 1 < this.stepStart.length ? this.stepStart.data[i + 1]! : this.length
  }
  op(i: number): string {
    return this.interner.names[this.stepKind.data[i]! & 0xffff]!
  }
  cpython(i: number): string {
    return this.interner.names[this.stepKind.data[i]! >>> 16]!
  }
  narration(i: number): string {
    const from = this.stepNarration.data[i]!
    const to = i + 1 < this.stepNarration.length ? this.stepNarration.data[i + 1]! : this.narrationTemplate.length
    const parts: string[] = []
    for (let k = from; k < to; k++) {
      const strings = this.narrationTemplate.get(k)
      let v = this.narrationValueStart.data[k]!
      let text = strings[0]!
      for (let j = 1; j < strings.length; j++) text += String(this.narrationValues.get(v++)) + strings[j]!
      parts.push(text)
    }
    return parts.join(' ')
  }
  changes(i: number): Change[] {
    const out: Change[] = []
    for (let k = this.start(i), end = this.end(i); k < end; k++) out.push(this.change(k))
    return out
  }
}

/** A view of one recorded micro-step; narration and changes are built when first read. */
export class Step implements StepRecord {
  readonly #rec: Recording
  #narration: string | undefined
  readonly thread: number
  readonly line: number
  readonly op: string
  readonly cpython: string
  constructor(
    rec: Recording,
    readonly index: number,
  ) {
    this.#rec = rec
    this.thread = rec.stepThread.data[index]!
    this.line = rec.stepLine.data[index]!
    this.op = rec.op(index)
    this.cpython = rec.cpython(index)
  }
  get narration(): string {
    return (this.#narration ??= this.#rec.narration(this.index))
  }
  get changes(): readonly Change[] {
    return this.#rec.changes(this.index)
  }
  toJSON() {
    return { index: this.index, thread: this.thread, line: this.line, op: this.op, cpython: this.cpython, narration: this.narration, changes: this.changes }
  }
}
