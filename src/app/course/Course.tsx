// The course page (the app's home): every story in order with its summary, time, tags and the
// reader's progress, a search over titles, summaries, tags and CPython functions, and the
// stories that could not be read. Also the page that explains a malformed story.

import { useId, useMemo, useState } from 'react'
import type { Story, StoryError, StoryRegistry } from '../../story'
import { brokenFiles } from './route'
import { PROGRESS_LABELS, readProgress, resetProgress, type Progress } from './progress'
import { HOME_HREF, storyHref } from './StoryView'
import './course.css'

/** Whether every word of `query` appears in the story's title, summary, tags or CPython functions. */
export function matchesQuery(story: Story, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (!words.length) return true
  const { title, summary, tags, cpython } = story.meta
  const haystack = [title, summary, ...tags, ...cpython].join('\n').toLowerCase()
  return words.every((w) => haystack.includes(w))
}

export function Course({ registry }: { readonly registry: StoryRegistry }) {
  const searchId = useId()
  const headingId = useId()
  const [query, setQuery] = useState('')
  const [progress, setProgress] = useState<Record<string, Progress>>(readProgress)
  const shown = useMemo(() => registry.stories.filter((s) => matchesQuery(s, query)), [registry, query])
  const broken = brokenFiles(registry)
  const total = registry.stories.length
  const done = registry.stories.filter((s) => progress[s.meta.id] === 'done').length
  const minutes = registry.stories.reduce((sum, s) => sum + s.meta.minutes, 0)
  const resume = registry.stories.find((s) => progress[s.meta.id] === 'in-progress') ?? registry.stories.find((s) => progress[s.meta.id] !== 'done')

  return (
    <section className="course" aria-labelledby={headingId}>
      <div className="course-intro">
        <h2 id={headingId}>The course</h2>
        <p>
          {total} short stories, about {minutes} minutes in all: each runs a small multi-threaded scenario step by step,
          with narration, and asks you to predict what happens at its key moments.
        </p>
        <p className="course-progress" data-testid="course-progress">
          {done} of {total} done.{' '}
          {resume && (
            <a href={storyHref(resume.meta.id)}>
              {progress[resume.meta.id] === 'in-progress' ? 'Continue' : done === 0 ? 'Start' : 'Next'}: {resume.meta.title}
            </a>
          )}
          {Object.keys(progress).length > 0 && (
            <>
              {' '}
              <button
                type="button"
                className="link-button link-button-quiet"
                onClick={() => {
                  resetProgress()
                  setProgress({})
                }}
              >
                Forget my progress
              </button>
            </>
          )}
        </p>
      </div>
      <div className="course-search" role="search">
        <label htmlFor={searchId}>Search the stories</label>
        <input
          id={searchId}
          type="search"
          value={query}
          placeholder="title, tag or CPython function"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          aria-describedby={`${searchId}-count`}
        />
        <p id={`${searchId}-count`} className="muted course-count" role="status" aria-live="polite">
          {query.trim() ? `${shown.length} of ${total} stories match.` : `${total} stories.`}
        </p>
      </div>
      {broken.length > 0 && (
        <div className="notice notice-error course-broken" role="alert">
          <p>
            <strong>
              {broken.length === 1 ? 'One story could not be read' : `${broken.length} stories could not be read`}
            </strong>{' '}
            and {broken.length === 1 ? 'is' : 'are'} left out of the course:
          </p>
          <ul>
            {broken.map((b) => (
              <li key={b.file}>
                <a href={storyHref(b.id)}>{b.file}</a>: {b.errors.length} problem{b.errors.length === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
        </div>
      )}
      {shown.length === 0 ? (
        <p className="course-empty">No story matches “{query.trim()}”. Try a shorter word, a tag or a CPython function name.</p>
      ) : (
        <ol className="course-list" aria-label="Stories">
          {shown.map((s) => {
            const p = progress[s.meta.id] ?? 'not-started'
            return (
              <li key={s.meta.id} className="course-item" data-progress={p}>
                <span className="course-order" aria-hidden="true">
                  {s.meta.order}
                </span>
                <div className="course-body">
                  <h3 className="course-title">
                    <a href={storyHref(s.meta.id)}>
                      <span className="sr-only">Story {s.meta.order}: </span>
                      {s.meta.title}
                    </a>
                  </h3>
                  <p className="course-summary">{s.meta.summary}</p>
                  <CpythonMatches names={s.meta.cpython} query={query} />
                  <p className="course-meta">
                    <span className={`course-status course-status-${p}`}>{PROGRESS_LABELS[p]}</span>
                    <span>{s.meta.minutes} min</span>
                    <span className="sr-only">Tags:</span>
                    <span className="course-tags">
                      {s.meta.tags.map((t) => (
                        <span key={t} className="course-tag">
                          {t}
                        </span>
                      ))}
                    </span>
                  </p>
                </div>
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}

/** The story's CPython functions that the search words name, so a match by function is visible. */
function CpythonMatches({ names, query }: { readonly names: readonly string[]; readonly query: string }) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const hits = words.length ? names.filter((n) => words.some((w) => n.toLowerCase().includes(w))) : []
  if (!hits.length) return null
  return (
    <p className="course-cpython">
      CPython:{' '}
      {hits.map((n, i) => (
        <span key={n}>
          {i > 0 && ', '}
          <code>{n}</code>
        </span>
      ))}
    </p>
  )
}

/** A story that does not parse: its file, and each problem with its line, and the way back. */
export function StoryErrorView({ id, errors }: { readonly id: string; readonly errors: readonly StoryError[] }) {
  const files = [...new Set(errors.map((e) => e.file))]
  return (
    <div className="notice notice-error story-error" role="alert" data-testid="story-error">
      <h2>The story “{id}” cannot be shown</h2>
      <p>
        {files.join(', ')} has {errors.length === 1 ? 'a problem' : `${errors.length} problems`} (fix {errors.length === 1 ? 'it' : 'them'}, then
        check with <code>npm run scenario -- check {files[0] ?? 'stories/'}</code>):
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={i} className="mono">
            {e.file}:{e.line}:{e.column}: {e.message}
          </li>
        ))}
      </ul>
      <p className="notice-actions">
        <a href={HOME_HREF}>Back to all stories</a>
      </p>
    </div>
  )
}
