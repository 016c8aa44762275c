// Text and JSON views of a trace: for the command line, golden tests, bug reports and screen
// readers. Field names follow the `expect` fields of the scenario language.

import { objectField, threadField } from './run'
import type { Trace } from './trace'
import { DEFERRED_BIAS, type ObjectState, type WorldState } from './types'

const OBJECT_JSON_FIELDS = ['owner', 'local', 'shared', 'state', 'refcount', 'immortal', 'deferred', 'freed', 'freed_by', 'locked_by', 'waiters'] as const

function names(trace: Trace, w: WorldState) {
  return {
    name: (t: number) => trace.scenario.threads[t] ?? '?',
    ownerName: (o: ObjectState) => {
      if (o.tid === 0) return 'none'
      const slot = w.tidSlots[(o.tid - 0x7f3b_0000_0000) / 0x80_0000]
      return slot === undefined ? 'none' : (trace.scenario.threads[slot] ?? 'none')
    },
  }
}

/** The raw 64-bit `ob_ref_shared` (count << 2 | state, bias included) as a decimal string. */
export function rawShared(o: ObjectState): string {
  const count = BigInt(o.shared) + (o.deferred ? DEFERRED_BIAS : 0n)
  return ((count << 2n) | BigInt(o.state)).toString()
}

export function objectJson(trace: Trace, w: WorldState, o: ObjectState) {
  const n = names(trace, w)
  const out: Record<string, unknown> = { label: o.label, type: o.type, address: `0x${o.address.toString(16)}` }
  if (!o.allocated && !o.immortal) out.created = false
  for (const f of OBJECT_JSON_FIELDS) {
    if (trace.mode !== 'free-threaded' && (f === 'local' || f === 'shared' || f === 'state' || f === 'owner')) continue
    out[f] = objectField(o, f, n, trace.mode)
  }
  if (trace.mode === 'free-threaded') {
    out.ob_tid = `0x${o.tid.toString(16)}`
    out.ob_ref_shared = rawShared(o)
    out.ob_gc_bits = o.gcBits
    out.ob_flags = o.flags
  }
  out.ob_mutex = (o.lockedBy >= 0 ? 1 : 0) | (o.waiters.length ? 2 : 0)
  if (o.slots.length) out.refs_to = o.slots.map((s) => (s.key !== undefined ? `${s.key}: ${w.objects[s.obj]!.label}` : w.objects[s.obj]!.label))
  return out
}

export function stateJson(trace: Trace, w: WorldState) {
  return {
    objects: w.objects.map((o) => objectJson(trace, w, o)),
    threads: w.threads.map((t) => ({
      name: t.name,
      status: t.status,
      queue: threadField(t, 'queue'),
      sections: threadField(t, 'sections'),
      suspended: threadField(t, 'suspended'),
      variables: Object.fromEntries(t.vars.map((v) => [v.name, `${w.objects[v.obj]!.label}${v.deferred ? ' (tagged)' : ''}`])),
      counters: t.counters,
    })),
  }
}

/** The JSON trace of the contract: one entry per micro-step with the state after it. */
export function traceToJson(trace: Trace) {
  return trace.steps.map((s) => {
    const state = trace.stateAfter(s.index)
    const stmt = trace.scenario.statements.find((x) => x.line === s.line)
    return {
      index: s.index,
      thread: trace.scenario.threads[s.thread],
      line: s.line,
      statement: stmt?.text ?? '',
      op: s.op,
      cpython: s.cpython,
      narration: s.narration,
      changes: s.changes
        .filter((c) => c.field !== 'counters' && c.field !== 'lastWriter')
        .map((c) => ({ target: c.target === 'object' ? state.objects[c.id]?.label : c.target === 'thread' ? state.threads[c.id]?.name : c.target === 'page' ? `page ${c.id}` : 'world', field: c.field, old: c.old, new: c.value })),
      ...stateJson(trace, state),
    }
  })
}

/** One readable line per micro-step. */
export function formatStep(trace: Trace, index: number): string {
  const s = trace.steps[index]!
  return `${String(index).padStart(5)}  ${(trace.scenario.threads[s.thread] ?? '?').padEnd(6)} line ${String(s.line).padEnd(3)} ${s.op.padEnd(20)} ${s.cpython.padEnd(30)} ${s.narration}`
}

export function formatTrace(trace: Trace): string {
  const lines = trace.notes.map((n) => `note: ${n}`)
  lines.push(...trace.steps.map((_, i) => formatStep(trace, i)))
  lines.push(`outcome: ${trace.outcome.kind}: ${trace.outcome.message}`)
  for (const v of trace.violations) lines.push(`${v.kind}: ${v.message}`)
  return lines.join('\n')
}
