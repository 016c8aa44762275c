// What the current step changed, per object row, thread part, page and world field: the static
// highlight shown whether or not the step animates (reduced motion, jumps, step back).

import type { Mode, StepRecord, Variable } from '../../engine'
import { rowOfField, type RowId } from './format'

/** Parts of a thread lane a step can change. */
export type LanePart = 'name' | 'status' | 'vars' | 'sections' | 'queue' | 'register' | 'locks'

export interface StepHighlights {
  /** Object id → changed card rows, sorted and comma-joined (a primitive, so cards memoise). */
  readonly objects: ReadonlyMap<number, string>
  /** Thread index → changed lane parts, comma-joined. */
  readonly threads: ReadonlyMap<number, string>
  /** Page id → ids of objects whose blocks changed, comma-joined. */
  readonly pages: ReadonlyMap<number, string>
  readonly world: ReadonlySet<string>
}

const EMPTY: StepHighlights = { objects: new Map(), threads: new Map(), pages: new Map(), world: new Set() }

const THREAD_PART: Readonly<Record<string, LanePart>> = {
  tid: 'name',
  started: 'name',
  status: 'status',
  blockedOn: 'status',
  vars: 'vars',
  cRefs: 'vars',
  sections: 'sections',
  directLocks: 'locks',
  queue: 'queue',
  register: 'register',
}

function add<K>(map: Map<K, Set<string>>, k: K, v: string) {
  const set = map.get(k) ?? new Set<string>()
  set.add(v)
  map.set(k, set)
}

function join<K>(map: Map<K, Set<string>>): Map<K, string> {
  return new Map([...map].map(([k, v]) => [k, [...v].sort().join(',')]))
}

export function stepHighlights(step: StepRecord | null, mode: Mode): StepHighlights {
  if (!step) return EMPTY
  const objects = new Map<number, Set<string>>()
  const threads = new Map<number, Set<string>>()
  const pages = new Map<number, Set<string>>()
  const world = new Set<string>()
  for (const c of step.changes) {
    if (c.target === 'object') {
      const row: RowId | null = rowOfField(c.field, mode)
      if (row) add(objects, c.id, row)
    } else if (c.target === 'thread') {
      const part = THREAD_PART[c.field]
      if (part) add(threads, c.id, part)
      if (c.field === 'vars') {
        // Which variables: a binding that is new or now points elsewhere (or changed its tag).
        const old = new Map(((c.old as Variable[] | undefined) ?? []).map((v) => [v.name, v]))
        for (const v of (c.value as Variable[] | undefined) ?? []) {
          const o = old.get(v.name)
          if (!o || o.obj !== v.obj || o.deferred !== v.deferred) add(threads, c.id, `var:${v.name}`)
        }
      } else if (c.field === 'cRefs') {
        const oldLen = Array.isArray(c.old) ? c.old.length : 0
        const value = (c.value as number[] | undefined) ?? []
        if (value.length > oldLen) add(threads, c.id, `cref:${value.length - 1}`)
      }
    } else if (c.target === 'page') {
      if (c.field === '*') continue
      const oldList = Array.isArray(c.old) ? (c.old as number[]) : []
      const newList = Array.isArray(c.value) ? (c.value as number[]) : []
      for (const obj of newList) if (!oldList.includes(obj)) add(pages, c.id, String(obj))
    } else {
      world.add(c.field)
    }
  }
  return { objects: join(objects), threads: join(threads), pages: join(pages), world }
}

export function has(list: string | undefined, item: string): boolean {
  return !!list && list.split(',').includes(item)
}
