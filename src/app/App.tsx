import { useMemo, type MouseEvent } from 'react'
import { ErrorBoundary } from './ErrorBoundary'
import { isModeName, MODE_OPTIONS, type ModeName } from './modes'
import { ScenarioView } from './ScenarioView'
import { BUILTIN_SCENARIOS, type BuiltinScenario } from './scenarios'
import { scenarioTitle } from './simulate'
import { buildSearch, navigate, useViewParams } from './url'

interface AppProps {
  /** The scenarios to list; the bundled stories/examples by default (tests pass their own). */
  readonly scenarios?: readonly BuiltinScenario[]
}

/** A plain left click: let the app handle it instead of a page load. */
function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}

export function App({ scenarios = BUILTIN_SCENARIOS }: AppProps) {
  const params = useViewParams()
  const titles = useMemo(
    () => new Map(scenarios.map((s) => [s.id, scenarioTitle(s.text, s.file)] as const)),
    [scenarios],
  )

  const selected =
    params.scenario === null
      ? (scenarios[0] ?? null)
      : (scenarios.find((s) => s.id === params.scenario) ?? null)
  const unknownScenario = params.scenario !== null && selected === null ? params.scenario : null
  const badMode = params.mode !== null && !isModeName(params.mode) ? params.mode : null
  const modeOverride: ModeName | null =
    params.mode !== null && isModeName(params.mode) ? params.mode : null

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the scenario
      </a>
      <header className="app-header">
        <h1>PEP 703 Explorer</h1>
        <p className="tagline">
          How free-threaded CPython manages memory: biased and deferred reference counting, merge
          queues and critical sections, one micro-step at a time.
        </p>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-labelledby="scenario-list-heading">
          <h2 id="scenario-list-heading">Scenarios</h2>
          {scenarios.length === 0 ? (
            <p className="muted">
              No built-in scenarios yet: add <code>*.scenario</code> files to{' '}
              <code>stories/examples/</code>.
            </p>
          ) : (
            <ul className="scenario-list">
              {scenarios.map((s) => {
                const title = titles.get(s.id) ?? null
                const current = s.id === selected?.id
                const next = { scenario: s.id, mode: params.mode }
                return (
                  <li key={s.id}>
                    <a
                      href={buildSearch(next) || '?'}
                      aria-current={current ? 'page' : undefined}
                      onClick={(event) => {
                        if (!isPlainClick(event)) return
                        event.preventDefault()
                        navigate(next)
                      }}
                    >
                      <span className="scenario-title">{title ?? s.id}</span>
                      {title !== null && <span className="scenario-id">{s.id}</span>}
                    </a>
                  </li>
                )
              })}
            </ul>
          )}
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          {unknownScenario !== null && (
            <div role="alert" className="notice notice-error">
              <p>
                <strong>No built-in scenario is named “{unknownScenario}”.</strong>
              </p>
              <p>
                {scenarios.length === 0
                  ? 'There are no built-in scenarios yet.'
                  : `Choose one from the list: ${scenarios.map((s) => s.id).join(', ')}.`}
              </p>
            </div>
          )}
          {badMode !== null && (
            <div role="alert" className="notice notice-warning">
              <p>
                <strong>Unknown mode “{badMode}”.</strong> Showing the scenario’s own mode instead.
                The modes are {MODE_OPTIONS.map((m) => m.value).join(', ')}.
              </p>
            </div>
          )}
          {selected !== null && (
            <ErrorBoundary key={`${selected.id}/${modeOverride ?? ''}`} what="this scenario">
              <ScenarioView
                scenario={selected}
                title={titles.get(selected.id) ?? null}
                modeOverride={modeOverride}
                onModeChange={(mode) => navigate({ scenario: selected.id, mode })}
              />
            </ErrorBoundary>
          )}
        </main>
      </div>
    </div>
  )
}
