// The playback clock. While the store is playing, it advances BASE_STEPS_PER_SECOND × speed
// micro-steps per second, driven by d3-timer (one callback per animation frame, paused with the
// page). The loop only asks the store to advance; the store clamps and pauses at the end.

import { timer } from 'd3-timer'
import { useEffect } from 'react'
import { useStore } from 'zustand'
import { BASE_STEPS_PER_SECOND, type ExplorerStore } from '../../store/explorerStore'

/** Calls `tick(elapsedMs)` on every frame until stopped. Tests pass a manual clock. */
export type Clock = (tick: (elapsedMs: number) => void) => { stop(): void }

export const d3Clock: Clock = (tick) => timer(tick)

/** At most this many steps in one frame: after a long stall (hidden tab) we skip time instead. */
export const MAX_STEPS_PER_FRAME = 8

export function usePlaybackLoop(store: ExplorerStore, clock: Clock = d3Clock): void {
  const playing = useStore(store, (s) => s.playing)
  const speed = useStore(store, (s) => s.speed)
  useEffect(() => {
    if (!playing) return undefined
    const stepsPerMs = (BASE_STEPS_PER_SECOND * speed) / 1000
    let done = 0
    const handle = clock((elapsed) => {
      const due = Math.floor(elapsed * stepsPerMs)
      if (due <= done) return
      const n = Math.min(due - done, MAX_STEPS_PER_FRAME)
      done = due
      store.getState().advance(n)
      if (!store.getState().playing) handle.stop()
    })
    return () => handle.stop()
  }, [store, playing, speed, clock])
}
