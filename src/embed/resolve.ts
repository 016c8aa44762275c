// Turns parsed embed options into what a player needs: the scenario source (a built-in story or
// inline text), the store's initial options and the theme choice; and applies a later change of
// options to a running store. Shared by the custom element and the iframe page.

import type { BuiltinScenario } from '../app/scenarios'
import { scenarioTitle } from '../app/scenarios'
import type { CreateOptions, ExplorerStore, ScenarioSource, ThemeChoice } from '../store/explorerStore'
import type { HostTheme } from './hostTheme'
import { parseEmbedOptions, quote, type EmbedOptions, type EmbedProblem, type EmbedTheme } from './options'

export const INLINE_SOURCE_ID = 'inline'

export interface ResolvedEmbed {
  readonly options: EmbedOptions
  readonly problems: readonly EmbedProblem[]
  readonly source: ScenarioSource | null
  /** The scenario's `title:` header, if any. */
  readonly title: string | null
}

export function resolveEmbed(
  get: (name: string) => string | null,
  inlineText: string | null,
  stories: readonly BuiltinScenario[],
): ResolvedEmbed {
  const { options, problems } = parseEmbedOptions(get, inlineText)
  let source: ScenarioSource | null = null
  if (options.scenarioText !== null) {
    source = { id: INLINE_SOURCE_ID, file: 'inline.scenario', text: options.scenarioText }
  } else if (options.story !== null) {
    source = stories.find((s) => s.id === options.story) ?? null
    if (source === null) {
      const ids = stories.map((s) => s.id)
      problems.unshift({
        key: 'story',
        tone: 'error',
        message: `No built-in scenario is named ${quote(options.story)}. ${ids.length > 0 ? `The built-in scenarios are: ${ids.join(', ')}.` : 'There are no built-in scenarios.'}`,
      })
    }
  }
  const title = source === null ? null : scenarioTitle(source.text, source.file)
  return { options, problems, source, title }
}

export function themeChoice(theme: EmbedTheme, host: HostTheme | null): ThemeChoice {
  if (theme === 'auto') return host ?? 'system'
  return theme
}

export function storeOptions(r: ResolvedEmbed, host: HostTheme | null): CreateOptions {
  return {
    source: r.source,
    mode: r.options.mode,
    compareMode: r.options.compare,
    position: r.options.step,
    speed: r.options.speed,
    autoplay: r.options.autoplay,
    theme: themeChoice(r.options.theme, host),
  }
}

function sameSource(a: ScenarioSource | null, b: ScenarioSource | null): boolean {
  if (a === null || b === null) return a === b
  return a.id === b.id && a.text === b.text
}

/** Applies what changed between `prev` and `next` to a running store. */
export function applyResolved(store: ExplorerStore, prev: ResolvedEmbed, next: ResolvedEmbed, host: HostTheme | null): void {
  const s = store.getState()
  const o = next.options
  if (o.compare !== prev.options.compare) s.setCompareMode(o.compare)
  if (!sameSource(prev.source, next.source) || o.mode !== prev.options.mode) {
    store.getState().load(next.source, { mode: o.mode, position: o.step })
  } else if (o.step !== prev.options.step) {
    store.getState().seek(o.step, 'jump')
  }
  if (o.speed !== prev.options.speed) store.getState().setSpeed(o.speed)
  if (o.theme !== prev.options.theme) store.getState().setTheme(themeChoice(o.theme, host))
  if (o.autoplay && !prev.options.autoplay) store.getState().play()
}
