import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState, type MouseEvent } from 'react'
import { useStore } from 'zustand'
import { createExplorerStore, type ExplorerStore, type MotionChoice, type ThemeChoice } from '../store/explorerStore'
import { useResolvedTheme } from '../ui/hooks/usePreferences'
import { Player } from '../ui/player/Player'
import { ErrorBoundary } from './ErrorBoundary'
import { connectUrl, CUSTOM_SOURCE_ID } from './history'
import { BUILTIN_SCENARIOS, scenarioTitle, type BuiltinScenario } from './scenarios'
import { SharePanel } from './SharePanel'
import { parseUrl, viewHref, EMPTY_VIEW } from './url'
import { applyView, customSource, type Notice } from './view'
import { registry as BUNDLED_STORIES } from '../story/bundled'
import type { StoryRegistry } from '../story'
import type { Clock } from '../ui/hooks/usePlaybackLoop'
import { Course, StoryErrorView } from './course/Course'
import { fileStem, plainSource, routeFor, storySource, type Route } from './course/route'
import { playgroundSource } from '../story'
import { HOME_HREF, storyHref, StoryView } from './course/StoryView'
import { encodeScenario } from './url'

// The playground (CodeMirror, the explorer's client) is its own chunk, loaded when opened.
const Playground = lazy(() => import('../playground/Playground'))

/** `?v=1&edit=1`: the playground (README: Playground). */
export const PLAYGROUND_HREF = '?v=1&edit=1'

/** The playground, starting from a built-in scenario or story (by id) or from a text. */
export function playgroundHrefFor(source: { readonly id: string; readonly text: string }, custom: boolean): string {
  return custom ? `${PLAYGROUND_HREF}#scenario=${encodeScenario(source.text)}` : `${PLAYGROUND_HREF}&story=${encodeURIComponent(source.id)}`
}

interface AppProps {
  /** The scenarios to list; the bundled stories/examples by default (tests pass their own). */
  readonly scenarios?: readonly BuiltinScenario[]
  /** The course: the bundled stories/*.md by default (tests pass their own). */
  readonly stories?: StoryRegistry
  /** The playback clock (tests pass a manual one). */
  readonly clock?: Clock
}

type PageRoute = Route | { readonly kind: 'playground'; readonly location: { readonly search: string; readonly hash: string } }

interface Page {
  readonly route: PageRoute
  readonly notices: readonly Notice[]
}

/** Shows the page of a location: works out the route, and loads the store for it. */
function showLocation(
  store: ExplorerStore,
  location: { readonly search: string; readonly hash: string },
  scenarios: readonly BuiltinScenario[],
  stories: StoryRegistry,
): Page {
  const parsed = parseUrl(location.search, location.hash)
  const edit = new URLSearchParams(location.search).get('edit')
  if ((edit === '1' || edit === 'true') && !parsed.problems.some((p) => p.kind === 'version')) {
    // The playground reads the fragment itself (`#s=` is compressed, so decoding it is async).
    if (store.getState().source !== null) store.getState().load(null)
    return { route: { kind: 'playground', location: { search: location.search, hash: location.hash } }, notices: [] }
  }
  const route = routeFor(parsed, location.search, stories, scenarios)
  const named = parsed.view.story ?? ''
  switch (route.kind) {
    case 'home':
    case 'story-error':
      if (store.getState().source !== null) store.getState().load(null)
      return { route, notices: [] }
    case 'story':
      return { route, notices: applyView(store, parsed, [{ ...storySource(route.story), id: named }]) }
    case 'player':
      return {
        route,
        notices: applyView(store, parsed, route.plain ? [...scenarios, { ...plainSource(route.plain), id: named }] : scenarios),
      }
  }
}

/** A plain left click: let the app handle it instead of a page load. */
function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}

const PREFS_KEY = 'pep703-explorer:prefs'

function readPrefs(): { theme?: ThemeChoice; motion?: MotionChoice } {
  try {
    const raw = window.localStorage.getItem(PREFS_KEY)
    const value: unknown = raw === null ? null : JSON.parse(raw)
    if (typeof value !== 'object' || value === null) return {}
    const { theme, motion } = value as Record<string, unknown>
    return {
      ...(theme === 'system' || theme === 'light' || theme === 'dark' || theme === 'contrast' ? { theme } : {}),
      ...(motion === 'system' || motion === 'reduce' || motion === 'full' ? { motion } : {}),
    }
  } catch {
    return {}
  }
}

function writePrefs(theme: ThemeChoice, motion: MotionChoice): void {
  try {
    window.localStorage.setItem(PREFS_KEY, JSON.stringify({ theme, motion }))
  } catch {
    // Storage may be unavailable (private mode, sandboxed iframe): preferences then last one visit.
  }
}

function createAppStore(): ExplorerStore {
  return createExplorerStore(readPrefs())
}

export function App({ scenarios = BUILTIN_SCENARIOS, stories = BUNDLED_STORIES, clock }: AppProps) {
  const [store] = useState(createAppStore)
  const [page, setPage] = useState<Page>(() => showLocation(store, window.location, scenarios, stories))
  const { route, notices } = page
  const setNotices = (update: (list: readonly Notice[]) => readonly Notice[]) =>
    setPage((p) => ({ ...p, notices: update(p.notices) }))
  const initialNotices = useRef(notices)
  useEffect(() => {
    const c = connectUrl(store, {
      onNavigate: (location) => setPage(showLocation(store, location, scenarios, stories)),
    })
    // A clean start (no notices to explain) gets its canonical link, with v=1, in place.
    if (initialNotices.current.length === 0 && store.getState().source !== null) c.normalize()
    const unsubscribePrefs = store.subscribe((s, prev) => {
      if (s.theme !== prev.theme || s.motion !== prev.motion) writePrefs(s.theme, s.motion)
    })
    return () => {
      c.disconnect()
      unsubscribePrefs()
    }
  }, [store, scenarios, stories])

  const plain = route.kind === 'player' ? route.plain : null
  const titles = useMemo(
    () =>
      new Map([
        ...scenarios.map((s) => [s.id, scenarioTitle(s.text, s.file)] as const),
        ...(plain ? stories.stories.filter((s) => s === plain).map((s) => [s.meta.id, `${s.meta.title} (plain view)`] as const) : []),
      ]),
    [scenarios, stories, plain],
  )
  const source = useStore(store, (s) => s.source)
  const modeOverride = useStore(store, (s) => s.modeOverride)
  const themeChoice = useStore(store, (s) => s.theme)
  const motionChoice = useStore(store, (s) => s.motion)
  const theme = useResolvedTheme(themeChoice)

  const listRef = useRef<HTMLUListElement>(null)
  const sourceId = source?.id ?? null
  useEffect(() => {
    // On narrow screens the list is one scrollable row: bring the current scenario into it.
    const list = listRef.current
    const current = list?.querySelector<HTMLElement>('a[aria-current="page"]')
    if (!list || !current || list.scrollWidth <= list.clientWidth) return
    list.scrollLeft = Math.max(0, current.offsetLeft - list.offsetLeft - 8)
  }, [sourceId])

  const custom = source?.id === CUSTOM_SOURCE_ID
  const title = source === null ? null : custom ? 'Edited scenario' : (titles.get(source.id) ?? source.id)

  // The playground's player has its own store; its theme and motion are the page's.
  const onPrefs = useCallback(
    (t: ThemeChoice, m: MotionChoice) => {
      store.getState().setTheme(t)
      store.getState().setMotion(m)
    },
    [store],
  )

  // What the playground can start from: the course's stories, then the examples.
  const starts = useMemo(
    () => [
      ...stories.stories.map((s) => ({
        ids: [s.meta.id, fileStem(s.file)],
        group: 'Stories' as const,
        label: `${s.meta.order}. ${s.meta.title}`,
        text: () => playgroundSource(s),
      })),
      ...scenarios.map((s) => ({ ids: [s.id], group: 'Examples' as const, label: titles.get(s.id) ?? s.id, text: () => s.text })),
    ],
    [stories, scenarios, titles],
  )

  const openScenario = (scenario: BuiltinScenario) => {
    setPage({ route: { kind: 'player', plain: null }, notices: [] })
    store.getState().load(scenario)
  }

  if (route.kind === 'playground') {
    return (
      <div className="app" data-theme={theme}>
        <a className="skip-link" href="#main">
          Skip to the playground
        </a>
        <AppHeader current="playground" />
        <main id="main" className="main main-wide" tabIndex={-1}>
          <ErrorBoundary what="the playground">
            <Suspense
              fallback={
                <p role="status" className="muted">
                  Loading the playground…
                </p>
              }
            >
              <Playground
                location={route.location}
                starts={starts}
                theme={themeChoice}
                motion={motionChoice}
                onPrefs={onPrefs}
                clock={clock}
              />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    )
  }

  if (route.kind === 'story' || route.kind === 'story-error') {
    return (
      <div className="app" data-theme={theme}>
        <a className="skip-link" href="#main">
          Skip to the story
        </a>
        <AppHeader current={null} />
        <main id="main" className="main main-wide" tabIndex={-1}>
          <Notices notices={notices} firstHref={HOME_HREF} onDismiss={(key) => setNotices((list) => list.filter((n) => n.key !== key))} />
          {route.kind === 'story' ? (
            <StoryView key={route.story.meta.id} story={route.story} registry={stories} store={store} clock={clock}>
              <SharePanel store={store} title={route.story.meta.title} playerRoot={() => document.querySelector<HTMLElement>('.main [data-testid="player"]')} />
            </StoryView>
          ) : (
            <StoryErrorView id={route.id} errors={route.errors} />
          )}
        </main>
      </div>
    )
  }

  return (
    <div className="app" data-theme={theme}>
      <a className="skip-link" href="#main">
        {route.kind === 'home' ? 'Skip to the course' : 'Skip to the scenario'}
      </a>
      <AppHeader current={route.kind === 'home' ? 'home' : null} />
      <div className={route.kind === 'home' ? 'layout layout-home' : 'layout'}>
        <nav className="sidebar" aria-labelledby="scenario-list-heading">
          <h2 id="scenario-list-heading">Scenarios</h2>
          <p className="muted sidebar-note">Examples to play with, outside the course.</p>
          {scenarios.length === 0 ? (
            <p className="muted">
              No built-in scenarios yet: add <code>*.scenario</code> files to <code>stories/examples/</code>.
            </p>
          ) : (
            <ul className="scenario-list" ref={listRef}>
              {scenarios.map((s) => {
                const t = titles.get(s.id) ?? null
                const current = s.id === source?.id
                return (
                  <li key={s.id}>
                    <a
                      href={viewHref({ ...EMPTY_VIEW, story: s.id, mode: modeOverride })}
                      aria-current={current ? 'page' : undefined}
                      onClick={(event) => {
                        if (!isPlainClick(event)) return
                        event.preventDefault()
                        openScenario(s)
                      }}
                    >
                      <span className="scenario-title">{t ?? s.id}</span>
                      {t !== null && <span className="scenario-id">{s.id}</span>}
                    </a>
                  </li>
                )
              })}
            </ul>
          )}
        </nav>
        <main id="main" className="main" tabIndex={-1}>
          {route.kind === 'home' && <Course registry={stories} />}
          {plain && (
            <p className="plain-banner">
              Plain view of story {plain.meta.order}, without the prose. <a href={storyHref(plain.meta.id)}>Back to the story</a>
            </p>
          )}
          <Notices
            notices={notices}
            firstHref={scenarios[0] ? viewHref({ ...EMPTY_VIEW, story: scenarios[0].id }) : viewHref(EMPTY_VIEW)}
            onDismiss={(key) => setNotices((list) => list.filter((n) => n.key !== key))}
          />
          {route.kind !== 'home' && source !== null && (
            <ErrorBoundary key={`${source.id}/${source.text.length}`} what="this scenario">
              <Player store={store} clock={clock} title={title} label={`Scenario player: ${title ?? ''}`} />
            </ErrorBoundary>
          )}
          {route.kind !== 'home' && source !== null && (
            <SharePanel store={store} title={title} playerRoot={() => document.querySelector<HTMLElement>('.main [data-testid="player"]')} />
          )}
          {route.kind !== 'home' && source !== null && (
            <p className="edit-in-playground">
              <a className="button button-quiet" href={playgroundHrefFor(source, custom)}>
                Edit in playground
              </a>{' '}
              <span className="muted">with highlighting, completion, problems as you type and the interleaving explorer.</span>
            </p>
          )}
          {route.kind !== 'home' && source !== null && (
            <ScenarioEditor
              key={source.text}
              text={source.text}
              onRun={(text) => {
                setPage({ route: { kind: 'player', plain: null }, notices: [] })
                store.getState().load(customSource(text))
              }}
            />
          )}
        </main>
      </div>
    </div>
  )
}

function AppHeader({ current }: { readonly current: 'home' | 'playground' | null }) {
  return (
    <header className="app-header">
      <h1>PEP 703 Explorer</h1>
      <p className="tagline">
        How free-threaded CPython manages memory: biased and deferred reference counting, merge queues and critical
        sections, one micro-step at a time.
      </p>
      <nav className="site-nav" aria-label="Site">
        <a href={HOME_HREF} aria-current={current === 'home' ? 'page' : undefined}>
          All stories
        </a>
        <a href={PLAYGROUND_HREF} aria-current={current === 'playground' ? 'page' : undefined}>
          Playground
        </a>
      </nav>
    </header>
  )
}

function Notices({
  notices,
  firstHref,
  onDismiss,
}: {
  readonly notices: readonly Notice[]
  readonly firstHref: string
  readonly onDismiss: (key: string) => void
}) {
  if (notices.length === 0) return null
  return (
    <div className="notices">
      {notices.map((n) => (
        <div
          key={n.key}
          role={n.tone === 'info' ? 'status' : 'alert'}
          className={`notice notice-${n.tone}`}
          data-notice={n.key}
        >
          <p>
            <strong>{n.title}</strong>
          </p>
          {n.detail !== undefined && <p>{n.detail}</p>}
          <p className="notice-actions">
            {n.offerStart === true && <a href={firstHref}>Open the first scenario</a>}
            {n.offerStart === true && window.history.length > 1 && (
              <button type="button" className="link-button" onClick={() => window.history.back()}>
                Go back
              </button>
            )}
            {n.offerStart !== true && (
              <button type="button" className="link-button" onClick={() => onDismiss(n.key)}>
                Dismiss
              </button>
            )}
          </p>
        </div>
      ))}
    </div>
  )
}

/** Edit the current scenario's text and run it; the edited text travels in the link's fragment. */
function ScenarioEditor({ text, onRun }: { readonly text: string; readonly onRun: (text: string) => void }) {
  const id = useId()
  const [draft, setDraft] = useState(text)
  return (
    <details className="editor">
      <summary>Edit this scenario</summary>
      <p className="muted">
        The scenario language is described in <code>stories/scenario-language.md</code>. Running an edited scenario puts
        its text in the link (after <code>#scenario=</code>), so the link reproduces it.
      </p>
      <label htmlFor={id}>Scenario text</label>
      <textarea
        id={id}
        className="editor-text"
        value={draft}
        spellCheck={false}
        rows={Math.min(24, Math.max(8, draft.split('\n').length + 1))}
        onChange={(e) => setDraft(e.target.value)}
      />
      <p>
        <button type="button" className="button" onClick={() => onRun(draft)}>
          Run the edited scenario
        </button>
      </p>
    </details>
  )
}
