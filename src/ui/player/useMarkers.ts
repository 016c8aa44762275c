import { useMemo } from 'react'
import { lastPosition } from '../../store/explorerStore'
import { useExplorer } from '../hooks/explorerContext'
import { clusterMarkers, findMarkers, type Marker } from './markers'

/** Markers shown on the timeline: notable steps of the main trace, clustered when crowded. */
export const MAX_TIMELINE_MARKERS = 32

export function useMarkers(): readonly Marker[] {
  const sim = useExplorer((s) => s.sim)
  const last = useExplorer(lastPosition)
  return useMemo(
    () => (sim?.kind === 'ok' ? clusterMarkers(findMarkers(sim.trace), last, MAX_TIMELINE_MARKERS) : []),
    [sim, last],
  )
}
