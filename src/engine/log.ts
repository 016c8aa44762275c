// Compact storage for a trace: every field write goes into one change log (parallel arrays, no
// object per change), and each micro-step is one small record pointing at its range of the log.
// `Step.changes` materialises Change objects only when someone asks for them.

import type { Change, StepRecord } from './types'

const TARGETS: readonly Change['target'][] = ['object', 'thread', 'page', 'world']
const TARGET_CODE: Record<Change['target'], number> = { object: 0, thread: 1, page: 2, world: 3 }

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

export class ChangeLog {
  /** target | by << 2 | field << 10 */
  readonly meta: number[] = []
  readonly ids: number[] = []
  readonly olds: unknown[] = []
  readonly values: unknown[] = []

  get length(): number {
    return this.meta.length
  }

  push(target: Change['target'], id: number, field: number, old: unknown, value: unknown, by: number) {
    this.meta.push(TARGET_CODE[target] | (by << 2) | (field << 10))
    this.ids.push(id)
    this.olds.push(old)
    this.values.push(value)
  }

  target(i: number): Change['target'] {
    return TARGETS[this.meta[i]! & 3]!
  }
  field(i: number): string {
    return FIELD_NAMES[this.meta[i]! >>> 10]!
  }

  change(i: number): Change {
    const meta = this.meta[i]!
    return {
      target: TARGETS[meta & 3]!,
      id: this.ids[i]!,
      field: FIELD_NAMES[meta >>> 10]!,
      old: this.olds[i],
      value: this.values[i],
      by: (meta >>> 2) & 0xff,
    }
  }
}

/**
 * A narration sentence kept as its template parts and values, joined only when read: building
 * strings for every micro-step would dominate the cost of recording a long trace.
 */
export interface Narration {
  readonly strings: readonly string[]
  readonly values: readonly unknown[]
}

/** Tag for narration templates: n`${t.name} adds 1 to ob_ref_local`. */
export function n(strings: TemplateStringsArray, ...values: unknown[]): Narration {
  return { strings, values }
}

function join(x: Narration | string): string {
  if (typeof x === 'string') return x
  let out = x.strings[0]!
  for (let i = 0; i < x.values.length; i++) out += String(x.values[i]) + x.strings[i + 1]!
  return out
}

// A step's counter increments for its own thread, packed into one small integer: 3 bits for each
// of the five counts and the rest for cycles. Keeps counters out of the change log.
const COST_KEYS = ['plainWrites', 'atomicOps', 'cacheLineTransfers', 'lockAcquisitions', 'contendedWaits'] as const
type CounterKey = (typeof COST_KEYS)[number] | 'cycles'
const CYCLE_UNIT = 1 << 15

export function addCost(cost: number, key: CounterKey, add: number): number {
  if (key === 'cycles') return cost + add * CYCLE_UNIT
  return cost + add * (1 << (3 * COST_KEYS.indexOf(key)))
}

/** Adds a packed cost to a counters record (mutating it). */
export function applyCost(counters: Record<CounterKey, number>, cost: number, sign: 1 | -1) {
  for (let i = 0; i < COST_KEYS.length; i++) counters[COST_KEYS[i]!] += sign * ((cost >>> (3 * i)) & 7)
  counters.cycles += sign * Math.floor(cost / CYCLE_UNIT)
}

export class Step implements StepRecord {
  readonly #log: ChangeLog
  #narration: Narration | string | (Narration | string)[]
  constructor(
    readonly index: number,
    readonly thread: number,
    readonly line: number,
    readonly op: string,
    readonly cpython: string,
    narration: Narration | string,
    log: ChangeLog,
    /** This step's range of the change log: [start, end). */
    readonly start: number,
    public end: number,
    /** Counter increments of the running thread, packed (addCost). */
    public cost = 0,
  ) {
    this.#log = log
    this.#narration = narration
  }

  /** One plain-language sentence (or a few, when a variable bind was folded in). */
  get narration(): string {
    const x = this.#narration
    if (typeof x === 'string') return x
    const text = Array.isArray(x) ? x.map(join).join(' ') : join(x)
    this.#narration = text
    return text
  }

  /** Appends a sentence (used when a variable bind is folded into this micro-step). */
  appendNarration(more: Narration | string) {
    const x = this.#narration
    this.#narration = Array.isArray(x) ? [...x, more] : [x, more]
  }

  get changes(): readonly Change[] {
    const out: Change[] = []
    for (let i = this.start; i < this.end; i++) out.push(this.#log.change(i))
    return out
  }

  toJSON() {
    return { index: this.index, thread: this.thread, line: this.line, op: this.op, cpython: this.cpython, narration: this.narration, changes: this.changes }
  }
}
