// A Markdown story beside the player: its prose, the story's narration for the statement that
// runs, "predict, then reveal" prompts (playback pauses at each one unless predictions are
// skipped), links to the previous and next story, the playground and the plain view.

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { Story, StoryRegistry } from '../../story'
import { playgroundSource } from '../../story'
import { lastPosition, type ExplorerStore } from '../../store/explorerStore'
import type { Clock } from '../../ui/hooks/usePlaybackLoop'
import { Player } from '../../ui/player/Player'
import { ErrorBoundary } from '../ErrorBoundary'
import { EMPTY_VIEW, viewHref } from '../url'
import { InlineMarkdown, Markdown } from './Markdown'
import { markProgress, readSkipPredictions, writeSkipPredictions } from './progress'
import { noteAt, placePrompts, plainWords, promptsAt } from './prompts'
import { PLAIN_PARAM } from './route'
import './course.css'

export function storyHref(id: string): string {
  return viewHref({ ...EMPTY_VIEW, story: id })
}

export function plainHref(id: string): string {
  return `${storyHref(id)}&${PLAIN_PARAM}=1`
}

/** The playground (`edit=1`) with the story's scenario as its text. */
export function playgroundHref(story: Story): string {
  return viewHref({ ...EMPTY_VIEW, scenarioText: playgroundSource(story) }, '?edit=1')
}

export const HOME_HREF = viewHref(EMPTY_VIEW)

interface StoryViewProps {
  readonly story: Story
  readonly registry: StoryRegistry
  readonly store: ExplorerStore
  /** The playback clock (tests pass a manual one). */
  readonly clock?: Clock
  /** Shown below the player (the app's share panel). */
  readonly children?: ReactNode
}

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
}

export function StoryView({ story, registry, store, clock, children }: StoryViewProps) {
  const titleId = useId()
  const afterId = useId()
  const { meta } = story
  const index = registry.stories.indexOf(story)
  const previous = registry.previous(meta.id)
  const next = registry.next(meta.id)
  const sim = useStore(store, (s) => s.sim)
  const position = useStore(store, (s) => s.position)
  const compareMode = useStore(store, (s) => s.compareMode)
  const trace = sim?.kind === 'ok' ? sim.trace : null

  const [skip, setSkip] = useState(readSkipPredictions)
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(() => new Set())
  const revealedRef = useRef(revealed)
  const skipRef = useRef(skip)
  useEffect(() => {
    revealedRef.current = revealed
    skipRef.current = skip
  }, [revealed, skip])

  // Progress: opened = in progress; reaching the end of the run = done.
  useEffect(() => {
    markProgress(meta.id, 'in-progress')
    const check = (s: ReturnType<ExplorerStore['getState']>) => {
      const last = lastPosition(s)
      if (last > 0 && s.position >= last) markProgress(meta.id, 'done')
    }
    check(store.getState())
    return store.subscribe(check)
  }, [store, meta.id])

  // Predict, then reveal: playback stops at a question that has not been answered yet.
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (skipRef.current || !prev.playing || s.position <= prev.position || s.sim?.kind !== 'ok') return
        const hit = placePrompts(story, s.sim.trace).find(
          (p) => p.ask > prev.position && p.ask <= s.position && !revealedRef.current.has(p.key),
        )
        if (hit) store.getState().seek(hit.ask, 'play')
      }),
    [store, story],
  )

  const prompts = useMemo(() => (trace ? promptsAt(story, trace, position) : []), [story, trace, position])
  const note = useMemo(() => (trace ? noteAt(story, trace, position) : undefined), [story, trace, position])
  const pending = prompts.filter((p) => !skip && position === p.ask && !revealed.has(p.key))
  const reveal = () => setRevealed((set) => new Set([...set, ...prompts.map((p) => p.key)]))

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTextField(event.target)) return
    if ((event.key === 'r' || event.key === 'R') && pending.length) {
      event.preventDefault()
      reveal()
    }
  }

  const announcement = prompts
    .map((p) => (pending.includes(p) ? `Predict: ${plainWords(p.prompt.question)}` : `Answer: ${plainWords(p.prompt.answer)}`))
    .join(' ')

  return (
    <article className="story" aria-labelledby={titleId} data-story={meta.id}>
      <nav className="story-crumbs" aria-label="Course">
        <a href={HOME_HREF}>All stories</a>
        <span aria-hidden="true"> › </span>
        <span>
          Story {meta.order}
          {index >= 0 && ` of ${registry.stories.length}`}
        </span>
      </nav>
      <header className="story-header">
        <h2 id={titleId}>{meta.title}</h2>
        <p className="story-summary">{meta.summary}</p>
        <p className="story-facts">
          <span>{meta.minutes} min</span>
          {meta.tags.length > 0 && <span>{meta.tags.join(', ')}</span>}
        </p>
      </header>
      <div className="story-grid">
        <section className="story-prose story-before" aria-label="The story">
          <Markdown text={story.prose.before} headingOffset={2} />
        </section>
        <div className="story-stage" onKeyDown={onKeyDown}>
          <section className="story-note" aria-label="Story narration" data-testid="story-note">
            <h3 className="story-note-heading">In the story</h3>
            {note?.narration ? (
              <div className="story-note-text" data-testid="story-narration">
                <Markdown text={note.narration} />
              </div>
            ) : (
              <p className="muted story-note-text">
                {position === 0 ? 'Press play, or step forward, to run the scenario.' : 'Nothing to add on this statement: the player’s narration below says what happens.'}
              </p>
            )}
            {prompts.map((p) => {
              const open = !pending.includes(p)
              return (
                <div key={p.key} className={`predict${open ? ' predict-open' : ''}`} data-testid="predict">
                  <p className="predict-question">
                    <strong>Predict:</strong> <InlineMarkdown text={p.prompt.question} />
                  </p>
                  {open ? (
                    <p className="predict-answer" data-testid="predict-answer">
                      <strong>Answer:</strong> <InlineMarkdown text={p.prompt.answer} />
                    </p>
                  ) : (
                    <p>
                      <button type="button" className="button" aria-keyshortcuts="r" onClick={reveal}>
                        Reveal
                      </button>{' '}
                      <span className="muted">(R) or step forward to see what happens.</span>
                    </p>
                  )}
                </div>
              )
            })}
            <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="predict-status">
              {announcement}
            </div>
          </section>
          <div className="story-actions">
            <label className="story-skip">
              <input
                type="checkbox"
                checked={skip}
                onChange={(e) => {
                  setSkip(e.target.checked)
                  writeSkipPredictions(e.target.checked)
                }}
              />{' '}
              Skip predictions
            </label>
            {meta.compare
              .filter((m) => m !== (sim?.kind === 'ok' ? sim.mode : null) || compareMode === m)
              .map((m) => (
                <button
                  key={m}
                  type="button"
                  className="button button-quiet"
                  aria-pressed={compareMode === m}
                  onClick={() => store.getState().setCompareMode(compareMode === m ? null : m)}
                >
                  Side by side with {m}
                </button>
              ))}
            <a className="button button-quiet" href={playgroundHref(story)}>
              Open in playground
            </a>
            <a className="button button-quiet" href={plainHref(meta.id)}>
              Plain view
            </a>
          </div>
          <ErrorBoundary key={meta.id} what="this story's scenario">
            <Player store={store} clock={clock} label={`Story player: ${meta.title}`} />
          </ErrorBoundary>
          {children}
        </div>
        <section className="story-prose story-after" aria-labelledby={afterId}>
          <h3 id={afterId} className="story-after-heading">
            After the run
          </h3>
          {story.prose.after ? <Markdown text={story.prose.after} headingOffset={2} /> : <p className="muted">That is the whole story.</p>}
          {meta.cpython.length > 0 && (
            <p className="story-cpython">
              CPython:{' '}
              {meta.cpython.map((f, i) => (
                <span key={f}>
                  {i > 0 && ', '}
                  <code>{f}</code>
                </span>
              ))}
            </p>
          )}
        </section>
      </div>
      <nav className="story-pager" aria-label="Previous and next story">
        {previous ? (
          <a href={storyHref(previous.meta.id)} rel="prev">
            <span className="story-pager-dir">← Previous story</span>
            <span className="story-pager-title">{previous.meta.title}</span>
          </a>
        ) : (
          <a href={HOME_HREF}>
            <span className="story-pager-dir">← All stories</span>
          </a>
        )}
        {next ? (
          <a href={storyHref(next.meta.id)} rel="next" className="story-pager-next">
            <span className="story-pager-dir">Next story →</span>
            <span className="story-pager-title">{next.meta.title}</span>
          </a>
        ) : (
          <a href={HOME_HREF} className="story-pager-next">
            <span className="story-pager-dir">The end: all stories →</span>
          </a>
        )}
      </nav>
    </article>
  )
}
