// The heavy half of <pep703-explorer>, loaded on first use by element.ts: React, the engine and
// the player, rendered into the element's shadow root with the player's CSS adopted there (so
// the host's CSS cannot reach in and ours cannot leak out).

import { createRoot, type Root } from 'react-dom/client'
import { createExplorerStore, lastPosition, type ExplorerStore } from '../store/explorerStore'
import codeCss from '../ui/code/code.css?inline'
import panelsCss from '../ui/panels/panels.css?inline'
import sceneCss from '../ui/scene/scene.css?inline'
import playerCss from '../ui/styles/player.css?inline'
import embedCss from './embed.css?inline'
import { EmbedView } from './EmbedView'
import type { HostTheme } from './hostTheme'
import { runCommand, type EmbedCommand } from './messages'
import { applyResolved, resolveEmbed, storeOptions, themeChoice, type ResolvedEmbed } from './resolve'
import { scenariosFor } from './stories'

/** A snapshot of the element's attributes and inline scenario text. */
export interface EmbedInput {
  readonly attributes: Readonly<Record<string, string>>
  readonly inlineText: string | null
}

export interface EmbedHandle {
  update(input: EmbedInput): void
  setHostTheme(theme: HostTheme | null): void
  command(command: EmbedCommand): void
  readonly step: number
  readonly total: number
  unmount(): void
}

/**
 * The player's CSS for a shadow root. Sizes in rem would follow the host's root font size
 * (62.5 % on some docs themes), so they become px; @property is ignored inside shadow roots, so
 * --pep-thumb is registered on the document instead (a name only, no style).
 */
function embedStyles(): string {
  const css = [playerCss, sceneCss, codeCss, panelsCss, embedCss].join('\n')
  return css
    .replace(/@property\s+--pep-thumb\s*\{[^}]*\}/g, '')
    .replace(/(\d*\.?\d+)rem\b/g, (_, n: string) => `${Math.round(Number(n) * 16 * 100) / 100}px`)
}

let sharedSheet: CSSStyleSheet | null = null
let propertyRegistered = false

function adoptStyles(shadow: ShadowRoot): void {
  if (!propertyRegistered) {
    propertyRegistered = true
    try {
      CSS.registerProperty({ name: '--pep-thumb', syntax: '<length>', inherits: true, initialValue: '20px' })
    } catch {
      // Already registered (by the app on the same page, or another copy of this script).
    }
  }
  const text = embedStyles()
  try {
    if (sharedSheet === null) {
      sharedSheet = new CSSStyleSheet()
      sharedSheet.replaceSync(text)
    }
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets.filter((s) => s !== sharedSheet), sharedSheet]
  } catch {
    // No constructable stylesheets: a <style> element in the shadow root does the same.
    const style = document.createElement('style')
    style.textContent = text
    shadow.prepend(style)
  }
}

function getter(input: EmbedInput) {
  return (name: string) => (Object.prototype.hasOwnProperty.call(input.attributes, name) ? input.attributes[name]! : null)
}

function storyAttribute(input: EmbedInput): string | null {
  return input.attributes.story?.trim() || null
}

export async function mountEmbed(
  shadow: ShadowRoot,
  container: HTMLElement,
  input: EmbedInput,
  hostTheme: HostTheme | null,
  onStep: (step: number, total: number) => void,
): Promise<EmbedHandle> {
  adoptStyles(shadow)
  let host = hostTheme
  let scenarios = await scenariosFor(storyAttribute(input))
  let resolved: ResolvedEmbed = resolveEmbed(getter(input), input.inlineText, scenarios)
  const store: ExplorerStore = createExplorerStore(storeOptions(resolved, host))
  const root: Root = createRoot(container)
  const render = () => root.render(<EmbedView store={store} resolved={resolved} />)
  render()
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.position !== prev.position || s.sim !== prev.sim || s.compareSim !== prev.compareSim) {
      onStep(s.position, lastPosition(s))
    }
  })
  let mounted = true
  return {
    update(next) {
      if (!mounted) return
      const apply = () => {
        const r = resolveEmbed(getter(next), next.inlineText, scenarios)
        applyResolved(store, resolved, r, host)
        resolved = r
        render()
      }
      const story = storyAttribute(next)
      if (story === null || scenarios.some((s) => s.id === story)) apply()
      else
        void scenariosFor(story).then((list) => {
          if (!mounted) return
          scenarios = list
          apply()
        })
    },
    setHostTheme(theme) {
      host = theme
      if (resolved.options.theme === 'auto') store.getState().setTheme(themeChoice('auto', host))
    },
    command(command) {
      runCommand(store, command)
    },
    get step() {
      return store.getState().position
    },
    get total() {
      return lastPosition(store.getState())
    },
    unmount() {
      if (!mounted) return
      mounted = false
      unsubscribe()
      store.getState().pause()
      root.unmount()
    },
  }
}
