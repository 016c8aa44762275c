// The options of an embedded player, read from untrusted text: the attributes of
// <pep703-explorer> or the query string of embed.html. Pure (no DOM): every value is validated,
// and every problem becomes a sentence the component shows instead of failing or going blank.
//
//   story     a built-in scenario id (stories/examples/*.scenario without the extension)
//   scenario  inline scenario text (or a <script type="text/plain"> child of the element)
//   step      0-based position (0 = initial state); past the end it is clamped
//   mode      free-threaded | gil | atomic | unsafe (default: the scenario's header)
//   compare   a second mode, side by side
//   autoplay  present, "", "1" or "true": start playing
//   speed     0.25 … 16
//   controls  all | minimal | none
//   panels    all | none | a list of code, counters, source, results
//   theme     auto (follow the host page) | light | dark | contrast
//   height    a CSS length (px, em, rem, vh, %; a bare number is px): the player scrolls inside it
//   heading   a title shown above the player (default: none, or the scenario's title with controls=all)
//   label     the player region's accessible name

import { MODES, type Mode } from '../engine'
import { isMode, SPEEDS } from '../store/explorerStore'
import { PANEL_NAMES, type PanelName, type PlayerControls } from '../ui/player/panels'

export type EmbedTheme = 'auto' | 'light' | 'dark' | 'contrast'

export interface EmbedOptions {
  readonly story: string | null
  readonly scenarioText: string | null
  readonly step: number
  readonly mode: Mode | null
  readonly compare: Mode | null
  readonly autoplay: boolean
  readonly speed: number
  readonly controls: PlayerControls
  readonly panels: readonly PanelName[]
  readonly theme: EmbedTheme
  /** A validated CSS length, or null for the natural height. */
  readonly height: string | null
  readonly heading: string | null
  readonly label: string | null
}

export interface EmbedProblem {
  /** The attribute (or parameter) at fault. */
  readonly key: string
  readonly tone: 'error' | 'warning'
  readonly message: string
}

export const DEFAULT_OPTIONS: EmbedOptions = {
  story: null,
  scenarioText: null,
  step: 0,
  mode: null,
  compare: null,
  autoplay: false,
  speed: 1,
  controls: 'all',
  panels: PANEL_NAMES,
  theme: 'auto',
  height: null,
  heading: null,
  label: null,
}

const CONTROLS: readonly PlayerControls[] = ['all', 'minimal', 'none']
const THEMES: readonly EmbedTheme[] = ['auto', 'light', 'dark', 'contrast']
const MAX_TEXT = 100_000

/** Quotes a user value for a message, shortened: it is shown as text, never as markup. */
export function quote(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim()
  return `“${flat.length > 40 ? `${flat.slice(0, 39)}…` : flat}”`
}

/** Removes the indentation common to every non-blank line (scenario text indented in HTML). */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length)
  const cut = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((l) => l.slice(cut)).join('\n') + (lines.length > 0 ? '\n' : '')
}

/** A CSS length we are willing to put in a style: digits and a known unit, nothing else. */
export function parseHeight(value: string): string | null {
  const m = /^\s*(\d{1,5}(?:\.\d{1,3})?)\s*(px|em|rem|vh|svh|dvh|%)?\s*$/i.exec(value)
  if (!m) return null
  const n = Number(m[1])
  if (!(n > 0)) return null
  return `${m[1]}${(m[2] ?? 'px').toLowerCase()}`
}

/**
 * Reads the options from `get` (an attribute or parameter lookup; null when absent) and an
 * optional inline scenario text from the element's content.
 */
export function parseEmbedOptions(
  get: (name: string) => string | null,
  inlineText: string | null = null,
): { options: EmbedOptions; problems: EmbedProblem[] } {
  const problems: EmbedProblem[] = []
  const warn = (key: string, message: string) => problems.push({ key, tone: 'warning', message })
  const trimmed = (name: string) => {
    const v = get(name)
    return v === null ? null : v.trim()
  }

  const story = trimmed('story') || null
  let scenarioText: string | null = null
  const attrText = get('scenario')
  const rawText = attrText !== null && attrText.trim() !== '' ? attrText : inlineText
  if (rawText !== null && rawText.trim() !== '') {
    if (rawText.length > MAX_TEXT) {
      problems.push({
        key: 'scenario',
        tone: 'error',
        message: `The inline scenario is ${rawText.length} characters long; the limit is ${MAX_TEXT}.`,
      })
    } else {
      scenarioText = dedent(rawText)
      if (story !== null) warn('story', `Both story ${quote(story)} and an inline scenario are given: showing the inline scenario.`)
    }
  }

  let step = 0
  const stepText = trimmed('step')
  if (stepText !== null && stepText !== '') {
    if (/^\d{1,9}$/.test(stepText)) step = Number(stepText)
    else warn('step', `step=${quote(stepText)} is not a step number (0, 1, 2, …): starting at step 0.`)
  }

  const readMode = (key: 'mode' | 'compare'): Mode | null => {
    const v = trimmed(key)
    if (v === null || v === '') return null
    if (isMode(v)) return v
    warn(
      key,
      key === 'mode'
        ? `Unknown mode ${quote(v)}: showing the scenario’s own mode. The modes are ${MODES.join(', ')}.`
        : `Unknown mode ${quote(v)} to compare with: showing one mode. The modes are ${MODES.join(', ')}.`,
    )
    return null
  }
  const mode = readMode('mode')
  const compare = readMode('compare')

  let autoplay = false
  const autoplayText = trimmed('autoplay')
  if (autoplayText !== null) {
    const v = autoplayText.toLowerCase()
    if (v === '' || v === '1' || v === 'true' || v === 'autoplay' || v === 'yes') autoplay = true
    else if (v !== '0' && v !== 'false' && v !== 'no') warn('autoplay', `autoplay=${quote(autoplayText)} is not 1 or 0: not playing.`)
  }

  let speed = 1
  const speedText = trimmed('speed')
  if (speedText !== null && speedText !== '') {
    const value = Number(speedText.replace(/x$/i, ''))
    const min = SPEEDS[0]
    const max = SPEEDS[SPEEDS.length - 1]!
    if (!Number.isFinite(value) || value <= 0) warn('speed', `speed=${quote(speedText)} is not a number: playing at 1×.`)
    else if (value < min || value > max) {
      speed = Math.min(max, Math.max(min, value))
      warn('speed', `speed=${quote(speedText)} is outside ${min}–${max}: playing at ${speed}×.`)
    } else speed = value
  }

  let controls: PlayerControls = 'all'
  const controlsText = trimmed('controls')
  if (controlsText !== null && controlsText !== '') {
    const v = controlsText.toLowerCase()
    if ((CONTROLS as readonly string[]).includes(v)) controls = v as PlayerControls
    else warn('controls', `controls=${quote(controlsText)} is not one of ${CONTROLS.join(', ')}: showing all controls.`)
  }

  let panels: readonly PanelName[] = PANEL_NAMES
  const panelsText = trimmed('panels')
  if (panelsText !== null && panelsText !== '') {
    const v = panelsText.toLowerCase()
    if (v === 'none') panels = []
    else if (v !== 'all') {
      const names = v.split(/[\s,]+/).filter(Boolean)
      const unknown = names.filter((n) => !(PANEL_NAMES as readonly string[]).includes(n))
      panels = PANEL_NAMES.filter((p) => names.includes(p))
      if (unknown.length > 0) {
        warn('panels', `Unknown panel ${quote(unknown.join(', '))}: the panels are ${PANEL_NAMES.join(', ')} (or all, none).`)
      }
    }
  }

  let theme: EmbedTheme = 'auto'
  const themeText = trimmed('theme')
  if (themeText !== null && themeText !== '') {
    const v = themeText.toLowerCase()
    if (v === 'system') theme = 'auto'
    else if (v === 'high-contrast') theme = 'contrast'
    else if ((THEMES as readonly string[]).includes(v)) theme = v as EmbedTheme
    else warn('theme', `theme=${quote(themeText)} is not one of ${THEMES.join(', ')}: following the page.`)
  }

  let height: string | null = null
  const heightText = trimmed('height')
  if (heightText !== null && heightText !== '' && heightText.toLowerCase() !== 'auto') {
    height = parseHeight(heightText)
    if (height === null) warn('height', `height=${quote(heightText)} is not a length like 600, 600px, 40em or 80vh: using the natural height.`)
  }

  const heading = limit(get('heading'))
  const label = limit(get('label'))

  if (story === null && scenarioText === null && !problems.some((p) => p.key === 'scenario')) {
    problems.push({
      key: 'story',
      tone: 'error',
      message: 'No scenario to show: set story="…" to a built-in scenario, or put the scenario text in scenario="…" or a <script type="text/plain"> inside the element.',
    })
  }

  return {
    options: { story, scenarioText, step, mode, compare, autoplay, speed, controls, panels, theme, height, heading, label },
    problems,
  }
}

function limit(value: string | null): string | null {
  if (value === null) return null
  const v = value.replace(/\s+/g, ' ').trim()
  return v === '' ? null : v.slice(0, 200)
}
