// Model cost counters per thread and in total, straight from the engine's per-thread counters,
// with the wall-time estimate of the cost model: in gil mode threads take turns, so the run takes
// the sum of their cycles; in the other modes they run in parallel, so it takes the longest.

import { useId } from 'react'
import { ATOMIC_REMOTE, COST, type Counters as EngineCounters, type Mode, type WorldState } from '../../engine'
import type { CountersProps } from '../contracts'
import './panels.css'

export const COUNTER_COLUMNS: readonly { readonly key: keyof EngineCounters; readonly label: string }[] = [
  { key: 'plainWrites', label: 'Plain writes' },
  { key: 'atomicOps', label: 'Atomic ops' },
  { key: 'cacheLineTransfers', label: 'Cache-line transfers' },
  { key: 'lockAcquisitions', label: 'Lock acquisitions' },
  { key: 'contendedWaits', label: 'Contended waits' },
  { key: 'cycles', label: 'Model cycles' },
]

const ZERO: EngineCounters = { plainWrites: 0, atomicOps: 0, cacheLineTransfers: 0, lockAcquisitions: 0, contendedWaits: 0, cycles: 0 }

/** Column sums over every thread. */
export function totalCounters(state: WorldState): EngineCounters {
  const total = { ...ZERO }
  for (const t of state.threads) for (const { key } of COUNTER_COLUMNS) total[key] += t.counters[key]
  return total
}

/** The cost model's wall time: the sum over threads in gil mode, the longest thread otherwise. */
export function wallCycles(state: WorldState, mode: Mode): number {
  const cycles = state.threads.map((t) => t.counters.cycles)
  if (mode === 'gil') return cycles.reduce((a, b) => a + b, 0)
  return cycles.length ? Math.max(...cycles) : 0
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function Counters({ state, mode }: CountersProps) {
  const headingId = useId()
  const captionId = useId()
  const total = totalCounters(state)
  const wall = wallCycles(state, mode)
  const scale = Math.max(wall, 1)
  const rule =
    mode === 'gil'
      ? 'sum over threads: with the GIL one thread runs at a time'
      : 'longest thread: threads run in parallel, waits included'
  return (
    <section className="ctr" aria-labelledby={headingId} data-testid="counters">
      <h3 className="ctr-heading" id={headingId}>
        Cost counters <span className="ctr-badge">model</span>
      </h3>
      <p className="ctr-disclaimer">
        Model cycles are illustrative, not a measurement: a plain write costs 1, an atomic operation {COST.atomicLocal}, or{' '}
        {ATOMIC_REMOTE} when the cache line must move from another core.
      </p>
      <div className="ctr-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="ctr-table">
          <caption id={captionId}>
            Per-thread cost counters, {mode} mode (model cycles, illustrative, not a measurement)
          </caption>
          <thead>
            <tr>
              <th scope="col">Thread</th>
              {COUNTER_COLUMNS.map((c) => (
                <th scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {state.threads.map((t) => (
              <tr key={t.index} data-thread={t.index}>
                <th scope="row">
                  <span className="pnl-swatch" data-colour={t.index % 8} />
                  {t.name}
                </th>
                {COUNTER_COLUMNS.map((c) => (
                  <td key={c.key}>
                    {c.key === 'cycles' ? <CyclesCell value={t.counters.cycles} scale={scale} /> : formatCount(t.counters[c.key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="ctr-total">
              <th scope="row">Total</th>
              {COUNTER_COLUMNS.map((c) => (
                <td key={c.key}>{formatCount(total[c.key])}</td>
              ))}
            </tr>
            <tr className="ctr-wall">
              <th scope="row">Wall time (model)</th>
              <td colSpan={COUNTER_COLUMNS.length - 1} className="ctr-rule">
                {rule}
              </td>
              <td data-testid="wall-time">
                <CyclesCell value={wall} scale={scale} />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="ctr-costs">
        Costs, in model cycles: plain write {COST.plainWrite} · atomic operation {COST.atomicLocal} · cache-line transfer +
        {COST.lineTransfer} · uncontended lock {COST.lockUncontended} · park and wake {formatCount(COST.parkAndWake)} · GIL
        hand-off {formatCount(COST.gilHandoff)}.
      </p>
    </section>
  )
}

function CyclesCell({ value, scale }: { readonly value: number; readonly scale: number }) {
  const pct = Math.max(0, Math.min(100, (value / scale) * 100))
  return (
    <span className="ctr-cycles">
      <span className="ctr-num">{formatCount(value)}</span>
      <span className="ctr-bar" aria-hidden="true">
        <span className="ctr-bar-fill" style={{ width: `${pct}%` }} />
      </span>
    </span>
  )
}
