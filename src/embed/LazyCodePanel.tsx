// The embed's code panel: the same component, loaded as a chunk of its own after the player
// shows (its pseudo-C snippets are a tenth of the player), so the first paint needs less.
// vite.embed.config.ts puts this in place of ../ui/code/CodePanel for the player.

import { lazy, Suspense } from 'react'
import type { CodePanelProps } from '../ui/contracts'

const Real = lazy(() => import('../ui/code/CodePanel').then((m) => ({ default: m.CodePanel })))

export function CodePanel(props: CodePanelProps) {
  return (
    <Suspense
      fallback={
        <section className="cp" data-testid="code-panel" aria-busy="true">
          <header className="cp-head">
            <p className="cp-kicker">The code that runs</p>
          </header>
        </section>
      }
    >
      <Real {...props} />
    </Suspense>
  )
}
