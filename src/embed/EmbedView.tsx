// An embedded player: the problems with its options (as text, never markup), then the player
// with the controls and panels asked for, in an optional fixed-height scrolling frame. Used by
// the custom element (inside its shadow root) and by the iframe page.

import { Component, type ErrorInfo, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { lastPosition, type ExplorerStore } from '../store/explorerStore'
import { useResolvedTheme } from '../ui/hooks/usePreferences'
import { Player } from '../ui/player/Player'
import type { ResolvedEmbed } from './resolve'

export interface EmbedViewProps {
  readonly store: ExplorerStore
  readonly resolved: ResolvedEmbed
}

export function EmbedView({ store, resolved }: EmbedViewProps) {
  const theme = useResolvedTheme(useStore(store, (s) => s.theme))
  const last = useStore(store, lastPosition)
  const ok = useStore(store, (s) => s.sim?.kind === 'ok')
  const { options, problems, source, title } = resolved
  const clamped = ok && options.step > last
  const shown = clamped
    ? [
        ...problems,
        {
          key: 'step-clamped',
          tone: 'warning' as const,
          message: `step=${options.step} is past the end of this run (${last} micro-steps): showing the end.`,
        },
      ]
    : problems
  const heading = options.heading ?? (options.controls === 'all' ? title : null)
  const label = options.label ?? `PEP 703 Explorer: ${title ?? 'scenario'}`
  const hasError = shown.some((p) => p.tone === 'error')
  return (
    <div
      className="pep703-embed"
      data-theme={theme}
      data-fixed-height={options.height !== null ? 'true' : undefined}
      style={options.height !== null ? { height: options.height } : undefined}
    >
      {shown.length > 0 && (
        <div className="pep703-problems" role={hasError ? 'alert' : 'status'} data-testid="embed-problems">
          <p className="pep703-problem-title">
            {source === null ? 'PEP 703 Explorer cannot show this player.' : 'PEP 703 Explorer: some settings were not used.'}
          </p>
          <ul>
            {shown.map((p, i) => (
              <li key={`${p.key}-${i}`} className={`pep703-problem-${p.tone}`} data-problem={p.key}>
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {source !== null && (
        <EmbedBoundary>
          <Player
            store={store}
            controls={options.controls}
            panels={options.panels}
            label={label}
            {...(heading !== null ? { title: heading } : {})}
          />
        </EmbedBoundary>
      )}
    </div>
  )
}

interface BoundaryState {
  readonly message: string | null
}

/** A rendering failure becomes a message in the box, never a blank area. */
class EmbedBoundary extends Component<{ readonly children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { message: null }

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { message: error instanceof Error ? error.message || error.name : String(error) }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('PEP 703 Explorer: the embedded player failed to render', error, info.componentStack)
  }

  override render(): ReactNode {
    if (this.state.message === null) return this.props.children
    return (
      <div className="pep703-problems" role="alert">
        <p className="pep703-problem-title">Something went wrong while showing this player.</p>
        <p className="pep703-problem-error">{this.state.message}</p>
      </div>
    )
  }
}
