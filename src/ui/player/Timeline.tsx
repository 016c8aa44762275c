// The timeline: a range input over every position (0 = initial state … last), with markers for
// notable steps above it. Markers are buttons (a glyph and a colour, and a text name for
// assistive technology and on hover); markers of one kind that lie close together merge.

import { memo, type CSSProperties } from 'react'
import { lastPosition } from '../../store/explorerStore'
import { useExplorer, useExplorerActions } from '../hooks/explorerContext'
import { Icon } from './icons'
import { MARKER_INFO, MARKER_KINDS, type Marker } from './markers'
import { useMarkers } from './useMarkers'

function markerStyle(position: number, last: number) {
  const fraction = last === 0 ? 0 : position / last
  return { '--pep-at': String(fraction) } as CSSProperties
}

const Markers = memo(function Markers({ markers, last }: { readonly markers: readonly Marker[]; readonly last: number }) {
  const { seek } = useExplorerActions()
  if (markers.length === 0) return null
  return (
    <div className="pep-marker-track" role="group" aria-label="Notable steps">
      {markers.map((m) => (
        <button
          key={`${m.kind}-${m.position}`}
          type="button"
          className="pep-marker"
          data-kind={m.kind}
          style={markerStyle(m.position, last)}
          aria-label={m.label}
          title={`${m.label}: ${m.detail}`}
          onClick={() => seek(m.position, 'jump')}
        >
          <Icon name={m.kind} />
          {m.count > 1 && <span className="pep-marker-count">{m.count}</span>}
        </button>
      ))}
    </div>
  )
})

const Legend = memo(function Legend({ markers }: { readonly markers: readonly Marker[] }) {
  const kinds = MARKER_KINDS.filter((k) => markers.some((m) => m.kind === k))
  if (kinds.length === 0) return <p className="pep-legend pep-muted">No queueing, merges, frees or lock waits in this run.</p>
  return (
    <ul className="pep-legend" aria-label="Marker kinds">
      {kinds.map((k) => (
        <li key={k} data-kind={k}>
          <span className="pep-legend-glyph">
            <Icon name={k} />
          </span>
          {MARKER_INFO[k].name}
        </li>
      ))}
      <li className="pep-muted">
        <kbd>[</kbd> <kbd>]</kbd> jump between them
      </li>
    </ul>
  )
})

export const Timeline = memo(function Timeline() {
  const position = useExplorer((s) => s.position)
  const last = useExplorer(lastPosition)
  const op = useExplorer((s) =>
    s.sim?.kind === 'ok' && s.position > 0 ? (s.sim.trace.steps[Math.min(s.position, s.sim.trace.length) - 1]?.op ?? '') : '',
  )
  const { seek } = useExplorerActions()
  const markers = useMarkers()
  return (
    <div className="pep-timeline">
      <Markers markers={markers} last={last} />
      <input
        type="range"
        className="pep-scrubber"
        data-player-scrubber=""
        aria-label="Timeline"
        min={0}
        max={last}
        step={1}
        value={position}
        disabled={last === 0}
        aria-valuetext={`step ${position} of ${last}${op ? `, ${op}` : ''}`}
        onChange={(e) => seek(Number(e.target.value), 'scrub')}
      />
      <Legend markers={markers} />
    </div>
  )
})
