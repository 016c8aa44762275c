// Model cost counters per thread and in total, straight from the engine's per-thread counters,
// with the wall-time estimate of the cost model: in gil mode threads take turns, so the run takes
// the sum of their cycles; in the other modes they run in parallel, so it takes the longest.

import { useId, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { ATOMIC_REMOTE, COST, type Counters as EngineCounters, type Mode, type WorldState } from '../../engine'
import type { CountersProps } from '../contracts'
import './panels.css'

export const COUNTER_COLUMNS: readonly { readonly key: keyof EngineCounters; readonly label: string }[] = [
  // Cycles first: when the table scrolls sideways, the number that matters stays in view.
  { key: 'cycles', label: 'Model cycles' },
  { key: 'plainWrites', label: 'Plain writes' },
  { key: 'atomicOps', label: 'Atomic ops' },
  { key: 'cacheLineTransfers', label: 'Cache-line transfers' },
  { key: 'lockAcquisitions', label: 'Lock acquisitions' },
  { key: 'contendedWaits', label: 'Contended waits' },
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

/**
 * When the one-row-per-thread table does not fit its panel and there are at most this many
 * threads, the table turns: one row per counter, one column per thread.
 */
export const NARROW_MAX_THREADS = 4

export function Counters({ state, mode }: CountersProps) {
  const headingId = useId()
  const captionId = useId()
  const boxRef = useRef<HTMLDivElement>(null)
  const box = useBox(boxRef)
  const turned = box.turned && state.threads.length <= NARROW_MAX_THREADS
  const scrollable = box.scrollable
  const total = totalCounters(state)
  const wall = wallCycles(state, mode)
  const scale = Math.max(wall, 1)
  const rule =
    mode === 'gil'
      ? 'sum over threads: with the GIL one thread runs at a time'
      : 'longest thread: threads run in parallel, waits included'
  const caption = (
    <caption id={captionId}>
      {turned ? 'Cost counters per thread' : 'Per-thread cost counters'}, {mode} mode (model cycles, illustrative, not a
      measurement)
    </caption>
  )
  const wallLabel = (
    <th scope="row">
      Wall time (model)
      <span className="ctr-rule">{rule}</span>
    </th>
  )
  return (
    <section className="ctr" aria-labelledby={headingId} data-testid="counters" data-layout={turned ? 'by-counter' : 'by-thread'}>
      <h3 className="ctr-heading" id={headingId}>
        Cost counters <span className="ctr-badge">model</span>
        <span className="nr-sr">, {mode} mode</span>
      </h3>
      <p className="ctr-disclaimer">
        Model cycles are illustrative, not a measurement: a plain write costs 1, an atomic operation {COST.atomicLocal}, or{' '}
        {ATOMIC_REMOTE} when the cache line must move from another core.
      </p>
      <div className="ctr-scroll" role="region" aria-labelledby={captionId} tabIndex={scrollable ? 0 : undefined} ref={boxRef}>
        {turned ? (
          <table className="ctr-table ctr-turned">
            {caption}
            <thead>
              <tr>
                <th scope="col">Counter</th>
                {state.threads.map((t) => (
                  <th scope="col" key={t.index}>
                    <ThreadName index={t.index} name={t.name} />
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {COUNTER_COLUMNS.map((c) => (
                <tr key={c.key} data-counter={c.key}>
                  <th scope="row">{c.label}</th>
                  {state.threads.map((t) => (
                    <td key={t.index}>
                      {c.key === 'cycles' ? <CyclesCell value={t.counters.cycles} scale={scale} /> : formatCount(t.counters[c.key])}
                    </td>
                  ))}
                  <td className="ctr-total-cell">{formatCount(total[c.key])}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="ctr-wall">
                {wallLabel}
                <td data-testid="wall-time" colSpan={state.threads.length + 1}>
                  <CyclesCell value={wall} scale={scale} />
                </td>
              </tr>
            </tfoot>
          </table>
        ) : (
          <table className="ctr-table">
            {caption}
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
                    <ThreadName index={t.index} name={t.name} />
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
                {wallLabel}
                <td data-testid="wall-time">
                  <CyclesCell value={wall} scale={scale} />
                </td>
                <td colSpan={COUNTER_COLUMNS.length - 1} />
              </tr>
            </tfoot>
          </table>
        )}
      </div>
      <p className="ctr-costs">
        Costs, in model cycles: plain write {COST.plainWrite} · atomic operation {COST.atomicLocal} · cache-line transfer +
        {COST.lineTransfer} · uncontended lock {COST.lockUncontended} · park and wake {formatCount(COST.parkAndWake)} · GIL
        hand-off {formatCount(COST.gilHandoff)}.
      </p>
    </section>
  )
}

function ThreadName({ index, name }: { readonly index: number; readonly name: string }) {
  return (
    <>
      <span className="pnl-swatch" data-colour={index % 8} />
      {name}
    </>
  )
}

/**
 * Watches the table's box. `turned` becomes true when the one-row-per-thread table overflows it,
 * and false again once the box is as wide as that table needed; `scrollable` says whether the
 * table shown overflows (only then is the box a keyboard tab stop). Without ResizeObserver
 * (tests, old browsers): not turned, and scrollable to be safe.
 */
function useBox(ref: RefObject<HTMLElement | null>): { turned: boolean; scrollable: boolean } {
  const [box, setBox] = useState({ turned: false, scrollable: true })
  const needed = useRef(Infinity)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const measure = () => {
      const width = el.clientWidth
      const overflow = el.scrollWidth > width + 1
      const byThread = !el.querySelector('.ctr-turned')
      setBox((old) => {
        let turned = old.turned
        if (byThread && overflow) {
          needed.current = el.scrollWidth
          turned = true
        } else if (!byThread && width >= needed.current) turned = false
        const scrollable = turned === old.turned ? overflow : old.scrollable
        return turned === old.turned && scrollable === old.scrollable ? old : { turned, scrollable }
      })
    }
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    if (el.firstElementChild) observer.observe(el.firstElementChild)
    return () => observer.disconnect()
  }, [ref])
  return box
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
