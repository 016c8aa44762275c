// What the whole run came to: the outcome, the scenario's `expect` lines as the engine checked
// them, violations (use-after-free, leaks, deadlock) and the engine's notes about the run. Step
// numbers are buttons that move the player there.

import type { Trace } from '../../engine'
import { useExplorer } from '../hooks/explorerContext'
import { MODE_LABELS, plural } from './format'

function StepButton({ step }: { readonly step: number }) {
  const seek = useExplorer((s) => s.seek)
  if (!(step >= 0)) return <>—</>
  return (
    <button type="button" className="pep-link-button" onClick={() => seek(step, 'jump')}>
      step {step}
    </button>
  )
}

export function Outcome({ trace }: { readonly trace: Trace }) {
  const outcome = trace.outcome
  const failed = trace.expectations.filter((e) => !e.ok).length
  const tone = outcome.kind === 'finished' && failed === 0 ? 'ok' : 'fail'
  const kindText =
    outcome.kind === 'finished' ? 'Finished' : outcome.kind === 'deadlock' ? 'Deadlock' : 'Stopped with an error'
  return (
    <p className={`pep-outcome pep-outcome-${tone}`} data-testid="outcome" data-outcome={outcome.kind}>
      <strong>{kindText}</strong>
      {outcome.line !== undefined && <> at line {outcome.line}</>}
      {outcome.message !== '' && <>: {outcome.message}</>}
      {' · '}
      {plural(trace.length, 'micro-step')}
      {trace.expectations.length > 0 && (
        <>
          {' · '}
          {failed === 0
            ? `all ${plural(trace.expectations.length, 'expectation')} hold`
            : `${failed} of ${plural(trace.expectations.length, 'expectation')} fail`}
        </>
      )}
    </p>
  )
}

export function Results({ trace, label }: { readonly trace: Trace; readonly label?: string }) {
  const heading = label ?? `Result (${MODE_LABELS[trace.mode].short})`
  return (
    <section className="pep-results" aria-label={heading}>
      <h3 className="pep-panel-heading">{heading}</h3>
      <Outcome trace={trace} />

      {trace.expectations.length > 0 && (
        <div className="pep-table-wrap">
          <table className="pep-expectations">
            <caption>Expectations (the scenario’s expect lines, checked by the engine)</caption>
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
                <tr key={i} className={e.ok ? 'pep-ok' : 'pep-fail'}>
                  <td className="pep-num">{e.line}</td>
                  <td className="pep-mono">{e.text}</td>
                  <td>
                    {e.ok ? (
                      <span className="pep-verdict">✓ holds</span>
                    ) : (
                      <>
                        <span className="pep-verdict">✗ fails</span>
                        {e.failures.map((f, j) => (
                          <span key={j} className="pep-failure">
                            {e.line}:{f.column}: {f.message}
                          </span>
                        ))}
                      </>
                    )}
                  </td>
                  <td>
                    <StepButton step={e.step} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {trace.violations.length > 0 && (
        <div className="pep-table-wrap">
          <table className="pep-violations">
            <caption>Violations found by the engine</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">At</th>
                <th scope="col">Line</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {trace.violations.map((v, i) => (
                <tr key={i}>
                  <td className="pep-violation-kind">{v.kind}</td>
                  <td>
                    <StepButton step={v.step} />
                  </td>
                  <td className="pep-num">{v.line > 0 ? v.line : '—'}</td>
                  <td>{v.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {trace.notes.length > 0 && (
        <ul className="pep-notes" aria-label="Notes about this run">
          {trace.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  )
}
