// Presenter mode (?present=1): the player alone on a black, high-contrast screen with large
// type, no page chrome and no controls (a small toolbar appears on hover or focus); the
// narration goes to a speaker-notes window (?notes=1) kept in step over a BroadcastChannel.
// Keys: Page Down / → / ↓ forward, Page Up / ← / ↑ back, B blanks the screen (B or Esc again
// to show it), F full screen, plus all the player's own shortcuts.

import { useCallback, useEffect, useRef, useState } from 'react'
import { useStore } from 'zustand'
import type { BuiltinScenario } from '../app/scenarios'
import { scenarioTitle } from '../app/scenarios'
import { lastPosition } from '../store/explorerStore'
import { Player } from '../ui/player/Player'
import { download, findSceneSvg, serializeSvg, svgToPng } from './exportScene'
import { isTypingTarget, presenterKey } from './keys'
import './present.css'
import { connectPresenterSync, type PresenterSync } from './sync'
import { urlWith, useUrlStore } from './useUrlStore'

/** This view in the speaker-notes window. */
function notesUrl(): string {
  const url = new URL(window.location.href)
  url.searchParams.delete('present')
  url.searchParams.set('notes', '1')
  return url.href
}

export function Presenter({ scenarios }: { readonly scenarios: readonly BuiltinScenario[] }) {
  const { store, notices } = useUrlStore(scenarios, 'contrast')
  const [blank, setBlank] = useState(false)
  const [status, setStatus] = useState('')
  const [toolsOpen, setToolsOpen] = useState(false)
  const sync = useRef<PresenterSync | null>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const position = useStore(store, (s) => s.position)
  const last = useStore(store, lastPosition)
  const source = useStore(store, (s) => s.source)
  const title = source ? (scenarioTitle(source.text, source.file) ?? source.id) : null

  useEffect(() => {
    const s = connectPresenterSync(store, 'presenter', setBlank)
    sync.current = s
    return () => {
      sync.current = null
      s.disconnect()
    }
  }, [store])

  const changeBlank = useCallback((next: boolean) => {
    setBlank(next)
    sync.current?.setBlank(next)
  }, [])

  useEffect(() => {
    document.title = `Presenting: ${title ?? 'PEP 703 Explorer'}`
    rootRef.current?.querySelector<HTMLElement>('[data-testid="player"]')?.focus()
  }, [title])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) return
      const key = presenterKey(event)
      if (key === null) return
      const s = store.getState()
      event.preventDefault()
      if (key === 'blank') changeBlank(!blank)
      else if (key === 'unblank') {
        if (blank) changeBlank(false)
      } else if (key === 'forward') s.stepForward()
      else if (key === 'back') s.stepBack()
      else if (key === 'start') s.toStart()
      else if (key === 'end') s.toEnd()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, blank, changeBlank])

  const exportAs = async (kind: 'svg' | 'png') => {
    const svg = rootRef.current ? findSceneSvg(rootRef.current) : null
    if (!svg) return setStatus('There is no picture to export.')
    const name = `${source?.id ?? 'scenario'}-step-${position}`
    const exported = serializeSvg(svg, { caption: `${title ?? ''} · step ${position} of ${last}`, link: urlWith('present', null) })
    try {
      if (kind === 'svg') download(exported.svg, `${name}.svg`)
      else download(await svgToPng(exported), `${name}.png`)
      setStatus(`Saved ${name}.${kind}`)
    } catch (error) {
      setStatus(`Could not export: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  return (
    <div className="presenter" data-theme="contrast" ref={rootRef} data-blank={blank ? 'true' : 'false'}>
      {notices.length > 0 && (
        <div className="presenter-notices" role="alert">
          {notices.map((n) => (
            <p key={n.key}>{n.title}</p>
          ))}
        </div>
      )}
      {source !== null && (
        <Player
          store={store}
          controls="none"
          panels={['code']}
          className="pep-presenting"
          label={`Presenting: ${title ?? 'scenario'}`}
          {...(title !== null ? { title } : {})}
        />
      )}
      <div className="presenter-progress" aria-hidden="true">
        <div style={{ width: `${last === 0 ? 0 : (100 * position) / last}%` }} />
      </div>
      <nav className="presenter-toolbar" aria-label="Presenter tools" data-open={toolsOpen ? 'true' : 'false'}>
        <span className="presenter-count" data-testid="presenter-step">
          {position} / {last}
        </span>
        <button type="button" className="presenter-tools-toggle" aria-expanded={toolsOpen} onClick={() => setToolsOpen((o) => !o)}>
          Tools
        </button>
        <button type="button" onClick={() => window.open(notesUrl(), 'pep703-notes', 'popup,width=900,height=700')}>
          Speaker notes
        </button>
        <button
          type="button"
          onClick={() => {
            if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
            else void document.documentElement.requestFullscreen?.().catch(() => undefined)
          }}
        >
          Full screen
        </button>
        <button type="button" onClick={() => changeBlank(!blank)} aria-pressed={blank} aria-keyshortcuts="b">
          Blank (B)
        </button>
        <button type="button" onClick={() => void exportAs('svg')}>
          Export SVG
        </button>
        <button type="button" onClick={() => void exportAs('png')}>
          Export PNG
        </button>
        <a href={urlWith('present', null)}>Exit presenter mode</a>
        <span className="presenter-status" role="status">
          {status}
        </span>
      </nav>
      {blank && (
        <div className="presenter-blank" data-testid="presenter-blank" onClick={() => changeBlank(false)}>
          <span className="presenter-sr">The screen is blank. Press B or Escape to show it again.</span>
        </div>
      )}
    </div>
  )
}
