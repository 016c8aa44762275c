// Below the player: a link to exactly this step, the embed code for this view (a
// <pep703-explorer> element or an iframe), export of the picture as SVG or PNG, and presenter
// mode. Subscribes to the store itself, so the page around it does not re-render on each step.

import { useId, useRef, useState } from 'react'
import { useStore } from 'zustand'
import { embedSnippets } from '../embed/snippet'
import { download, findSceneSvg, serializeSvg, svgToPng } from '../present/exportScene'
import type { ExplorerStore } from '../store/explorerStore'
import { CUSTOM_SOURCE_ID } from './history'

async function copyText(text: string, fallback: HTMLTextAreaElement | HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No clipboard permission (e.g. an insecure origin): select the text and use the old command.
    if (!fallback) return false
    fallback.focus()
    fallback.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }
}

interface Props {
  readonly store: ExplorerStore
  readonly title: string | null
  /** Where the player is in the page, for the export (its scene SVG). */
  readonly playerRoot: () => HTMLElement | null
}

export function SharePanel({ store, title, playerRoot }: Props) {
  const id = useId()
  const source = useStore(store, (s) => s.source)
  const position = useStore(store, (s) => s.position)
  const mode = useStore(store, (s) => s.modeOverride)
  const compare = useStore(store, (s) => s.compareMode)
  const speed = useStore(store, (s) => s.speed)
  const [open, setOpen] = useState(false)
  const [status, setStatus] = useState('')
  const linkRef = useRef<HTMLInputElement>(null)
  const componentRef = useRef<HTMLTextAreaElement>(null)
  const iframeRef = useRef<HTMLTextAreaElement>(null)
  if (source === null) return null
  const custom = source.id === CUSTOM_SOURCE_ID
  const snippets = embedSnippets(
    { story: custom ? null : source.id, scenarioText: custom ? source.text : null, step: position, mode, compare, speed, title },
    window.location.href,
  )
  const presentHref = (() => {
    const url = new URL(snippets.link)
    url.searchParams.set('present', '1')
    return url.href
  })()

  const copy = async (text: string, el: HTMLTextAreaElement | HTMLInputElement | null, what: string) => {
    setStatus((await copyText(text, el)) ? `Copied ${what}.` : `Select the ${what} and copy it.`)
  }

  const exportAs = async (kind: 'svg' | 'png') => {
    const root = playerRoot()
    const svg = root ? findSceneSvg(root) : null
    if (!svg) {
      setStatus('There is no picture to export.')
      return
    }
    const name = `${custom ? 'scenario' : source.id}-step-${position}`
    const exported = serializeSvg(svg, { caption: `${title ?? 'PEP 703 Explorer'} · step ${position}`, link: snippets.link })
    try {
      if (kind === 'svg') download(exported.svg, `${name}.svg`)
      else download(await svgToPng(exported), `${name}.png`)
      setStatus(`Saved ${name}.${kind}.`)
    } catch (error) {
      setStatus(`Could not export the picture: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  return (
    <section className="share" aria-label="Share, embed, export">
      <div className="share-actions">
        <button type="button" className="button" onClick={() => void copy(snippets.link, linkRef.current, 'the link to this step')}>
          Copy link to this step
        </button>
        {/* Embed code from a file:// copy (the single-file build) would point at this disk. */}
        {window.location.protocol !== 'file:' && (
          <button type="button" className="button" aria-expanded={open} aria-controls={`${id}-embed`} onClick={() => setOpen((o) => !o)}>
            Copy embed code
          </button>
        )}
        <button type="button" className="button" onClick={() => void exportAs('svg')}>
          Export SVG
        </button>
        <button type="button" className="button" onClick={() => void exportAs('png')}>
          Export PNG
        </button>
        <a className="button" href={presentHref}>
          Present
        </a>
        <span className="share-status" role="status">
          {status}
        </span>
      </div>
      <input ref={linkRef} className="share-hidden" readOnly tabIndex={-1} aria-hidden="true" value={snippets.link} />
      {open && (
        <div id={`${id}-embed`} className="share-embed">
          <div className="share-variant">
            <label htmlFor={`${id}-component`}>As a web component (HTML, Sphinx, MkDocs, Docusaurus, mdBook)</label>
            <textarea id={`${id}-component`} ref={componentRef} readOnly rows={3} value={snippets.component} data-testid="embed-component-code" />
            <button type="button" className="button" onClick={() => void copy(snippets.component, componentRef.current, 'the component code')}>
              Copy component code
            </button>
          </div>
          <div className="share-variant">
            <label htmlFor={`${id}-iframe`}>As an iframe (hosts that allow no scripts)</label>
            <textarea id={`${id}-iframe`} ref={iframeRef} readOnly rows={3} value={snippets.iframe} data-testid="embed-iframe-code" />
            <button type="button" className="button" onClick={() => void copy(snippets.iframe, iframeRef.current, 'the iframe code')}>
              Copy iframe code
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
