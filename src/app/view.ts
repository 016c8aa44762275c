// Applies a parsed URL to a player's store and says, in words, what could not be applied:
// an unknown story, an unreadable edited scenario, a step past the end (clamped), a bad mode or
// speed, a link of another format version. Every problem becomes a notice on the page.

import { MODES } from '../engine'
import { lastPosition, SPEEDS, type ExplorerStore, type ScenarioSource } from '../store/explorerStore'
import { CUSTOM_SOURCE_ID } from './history'
import type { BuiltinScenario } from './scenarios'
import { URL_FORMAT_VERSION, type ParsedUrl, type UrlProblem } from './url'

export interface Notice {
  readonly key: string
  readonly tone: 'error' | 'warning' | 'info'
  readonly title: string
  readonly detail?: string
  /** Offer the ways back: the start page and the scenario list (for errors that load nothing). */
  readonly offerStart?: boolean
}

export const EDITED_FILE = 'edited.scenario'

export function customSource(text: string): ScenarioSource {
  return { id: CUSTOM_SOURCE_ID, file: EDITED_FILE, text }
}

function problemNotice(p: UrlProblem): Notice {
  switch (p.kind) {
    case 'version':
      return {
        key: 'version',
        tone: 'error',
        title: `This link cannot be replayed: it was made for link format v=${p.value}, and this explorer reads v=${URL_FORMAT_VERSION}.`,
        detail:
          'Rather than guess what the link meant and show something different, nothing was loaded. Open the start page, or ask whoever shared the link for one made with this version.',
        offerStart: true,
      }
    case 'step':
      return {
        key: 'step',
        tone: 'warning',
        title: `“${p.value}” is not a step number, so the player starts at step 0.`,
        detail: 'Steps are whole numbers from 0 (the initial state) to the number of micro-steps.',
      }
    case 'mode':
      return {
        key: 'mode',
        tone: 'warning',
        title: `Unknown mode “${p.value}”: showing the scenario’s own mode instead.`,
        detail: `The modes are ${MODES.join(', ')}.`,
      }
    case 'compare':
      return {
        key: 'compare',
        tone: 'warning',
        title: `Unknown mode “${p.value}” to compare with: showing one mode only.`,
        detail: `The modes are ${MODES.join(', ')}.`,
      }
    case 'speed':
      return {
        key: 'speed',
        tone: 'warning',
        title: `Speed “${p.value}” is not usable: playing at ${p.used}× instead.`,
        detail: `Speeds run from ${SPEEDS[0]}× to ${SPEEDS[SPEEDS.length - 1]}×.`,
      }
    case 'fragment':
      return {
        key: 'fragment',
        tone: 'error',
        title: 'The edited scenario in this link cannot be read, so nothing was loaded.',
        detail: p.message,
        offerStart: true,
      }
  }
}

function sameSource(a: ScenarioSource | null, b: ScenarioSource | null): boolean {
  if (a === null || b === null) return a === b
  return a.id === b.id && a.text === b.text
}

/** Makes `store` show the view of `parsed`; returns the notices to show. */
export function applyView(store: ExplorerStore, parsed: ParsedUrl, scenarios: readonly BuiltinScenario[]): Notice[] {
  const notices = parsed.problems.map(problemNotice)
  const { view } = parsed
  const s = store.getState()
  if (notices.some((n) => n.key === 'version' || n.key === 'fragment')) {
    if (s.source !== null) s.load(null)
    return notices
  }

  let source: ScenarioSource | null
  if (view.scenarioText !== null) {
    source = customSource(view.scenarioText)
  } else if (view.story !== null) {
    source = scenarios.find((sc) => sc.id === view.story) ?? null
    if (source === null) {
      notices.unshift({
        key: 'story',
        tone: 'error',
        title: `No built-in scenario is named “${view.story}”.`,
        detail:
          scenarios.length === 0
            ? 'There are no built-in scenarios yet.'
            : `Choose a story from the course (All stories, at the top of the page), or one of the scenarios: ${scenarios.map((sc) => sc.id).join(', ')}.`,
        offerStart: true,
      })
    }
  } else {
    source = scenarios[0] ?? null
  }

  const step = view.step ?? 0
  if (s.compareMode !== view.compare) {
    if (sameSource(s.source, source) && s.modeOverride === view.mode) s.setCompareMode(view.compare)
    else store.setState({ compareMode: view.compare })
  }
  if (!sameSource(s.source, source) || s.modeOverride !== view.mode) {
    s.load(source, { mode: view.mode, position: step })
  }
  store.getState().seek(step, 'load')

  const last = lastPosition(store.getState())
  if (source !== null && step > last && store.getState().sim?.kind === 'ok') {
    notices.push({
      key: 'clamped',
      tone: 'info',
      title: `Step ${step} is past the end of this run, which has ${last} micro-steps: showing step ${last}, the end.`,
    })
  }
  store.getState().setSpeed(view.speed ?? 1)
  if (view.autoplay) store.getState().play()
  return notices
}
