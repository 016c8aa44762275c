import { useId, useMemo } from 'react'
import type { Diagnostic, Trace } from '../engine'
import { MODE_OPTIONS, isModeName, type ModeName } from './modes'
import type { BuiltinScenario } from './scenarios'
import { simulate } from './simulate'

/** More rows than this are cut from the table (with a note); the real UI will page or scrub. */
export const MAX_TRACE_ROWS = 5000

interface Props {
  readonly scenario: BuiltinScenario
  readonly title: string | null
  readonly modeOverride: ModeName | null
  readonly onModeChange: (mode: ModeName) => void
}

export function ScenarioView({ scenario, title, modeOverride, onModeChange }: Props) {
  const selectId = useId()
  const sim = useMemo(
    () => simulate(scenario.text, scenario.file, modeOverride),
    [scenario.text, scenario.file, modeOverride],
  )
  const shownMode: ModeName = sim.kind === 'ok' ? sim.mode : (modeOverride ?? 'free-threaded')

  return (
    <article className="scenario" aria-labelledby="scenario-heading">
      <h2 id="scenario-heading">
        {title ?? scenario.id} <span className="scenario-file">{scenario.file}</span>
      </h2>

      <div className="toolbar">
        <label htmlFor={selectId}>Mode</label>
        <select
          id={selectId}
          value={shownMode}
          onChange={(event) => {
            const value = event.target.value
            if (isModeName(value)) onModeChange(value)
          }}
        >
          {MODE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        {sim.kind === 'ok' && sim.mode !== sim.headerMode && (
          <span className="muted">(the scenario’s header says {sim.headerMode})</span>
        )}
      </div>

      {sim.kind === 'parse-error' && <ParseErrors errors={sim.errors} />}
      {sim.kind === 'crash' && (
        <div role="alert" className="notice notice-error">
          <p>
            <strong>The simulation failed on this scenario.</strong>
          </p>
          <p className="mono">{sim.message}</p>
        </div>
      )}
      {sim.kind === 'ok' && <Results trace={sim.trace} />}

      <section>
        <h3 id="source-heading">Scenario text</h3>
        <Source
          text={scenario.text}
          errorLines={sim.kind === 'parse-error' ? new Set(sim.errors.map((e) => e.line)) : null}
        />
      </section>

      {sim.kind === 'ok' && <TraceTable trace={sim.trace} />}
    </article>
  )
}

function ParseErrors({ errors }: { readonly errors: readonly Diagnostic[] }) {
  return (
    <div role="alert" className="notice notice-error parse-errors">
      <p>
        <strong>
          This scenario does not parse ({errors.length} {errors.length === 1 ? 'error' : 'errors'}).
        </strong>
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={i} className="mono">
            {e.file}:{e.line}:{e.column}: {e.message}
          </li>
        ))}
      </ul>
    </div>
  )
}

function Source({ text, errorLines }: { readonly text: string; readonly errorLines: ReadonlySet<number> | null }) {
  const lines = text.replace(/\n$/, '').split('\n')
  return (
    <div className="source-wrap" tabIndex={0} role="region" aria-labelledby="source-heading">
      <pre className="source">
      <code>
        {lines.map((line, i) => (
          <span key={i} className={errorLines?.has(i + 1) ? 'source-line has-error' : 'source-line'}>
            <span className="line-no" aria-hidden="true">
              {i + 1}
            </span>
            {line}
            {'\n'}
          </span>
        ))}
      </code>
      </pre>
    </div>
  )
}

function stepText(step: unknown): string {
  return typeof step === 'number' && step >= 0 ? String(step) : '—'
}

function Results({ trace }: { readonly trace: Trace }) {
  const outcome = trace.outcome
  const failed = trace.expectations.filter((e) => !e.ok).length
  return (
    <section>
      <h3 id="outcome-heading">Outcome</h3>
      <p
        className={`outcome outcome-${failed > 0 ? 'error' : outcome.kind}`}
        data-testid="outcome"
      >
        <strong>{outcome.kind}</strong>
        {outcome.line !== undefined && <> at line {outcome.line}</>}
        {outcome.message !== '' && <> — {outcome.message}</>}
        {' · '}
        {trace.steps.length} micro-steps
        {trace.expectations.length > 0 && (
          <>
            {' · '}
            {failed === 0
              ? `all ${trace.expectations.length} expectations hold`
              : `${failed} of ${trace.expectations.length} expectations fail`}
          </>
        )}
      </p>

      {trace.expectations.length > 0 && (
        <div className="table-wrap">
          <table className="expectations">
            <caption>Expectations</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Expectation</th>
                <th scope="col">Result</th>
                <th scope="col">Checked after</th>
              </tr>
            </thead>
            <tbody>
              {trace.expectations.map((e, i) => (
                <tr key={i} className={e.ok ? 'ok' : 'fail'}>
                  <td className="num">{e.line}</td>
                  <td className="mono">{e.text}</td>
                  <td>
                    {e.ok ? (
                      '✓ holds'
                    ) : (
                      <>
                        ✗ fails
                        {e.failures.map((f, j) => (
                          <span key={j} className="failure">
                            {e.line}:{f.column}: {f.message}
                          </span>
                        ))}
                      </>
                    )}
                  </td>
                  <td className="num">
                    {e.step} {e.step === 1 ? 'step' : 'steps'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {trace.violations.length > 0 && (
        <div className="table-wrap">
          <table className="violations">
            <caption>Violations</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Step</th>
                <th scope="col">Line</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {trace.violations.map((v, i) => (
                <tr key={i}>
                  <td>{v.kind}</td>
                  <td className="num">{stepText(v.step)}</td>
                  <td className="num">{v.line}</td>
                  <td>{v.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function TraceTable({ trace }: { readonly trace: Trace }) {
  const steps = trace.steps
  const shown = steps.length > MAX_TRACE_ROWS ? steps.slice(0, MAX_TRACE_ROWS) : steps
  const threadName = (index: number) => trace.initial.threads[index]?.name ?? `thread ${index}`
  return (
    <section>
      <h3 id="trace-heading">Trace</h3>
      {steps.length === 0 ? (
        <p className="muted">The run has no micro-steps.</p>
      ) : (
        <div className="table-wrap trace-wrap" tabIndex={0} role="region" aria-labelledby="trace-heading">
          <table className="trace">
            <caption>
              One row per micro-step
              {shown.length < steps.length &&
                ` (the first ${shown.length} of ${steps.length} are shown)`}
            </caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Thread</th>
                <th scope="col">Line</th>
                <th scope="col">Op</th>
                <th scope="col">CPython</th>
                <th scope="col">Narration</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((step) => (
                <tr key={step.index}>
                  <td className="num">{step.index}</td>
                  <td>{threadName(step.thread)}</td>
                  <td className="num">{step.line}</td>
                  <td className="mono">{step.op}</td>
                  <td className="mono">{step.cpython}</td>
                  <td>{step.narration}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
