// Helpers for player tests: a manual clock and a store preset.

import type { Clock } from '../../src/ui/hooks/usePlaybackLoop'

/** A clock the test drives: `tick(ms)` moves time on and calls every running timer. */
export function manualClock(): Clock & { tick(ms: number): void; running(): number } {
  const timers = new Set<{ start: number; cb: (elapsed: number) => void }>()
  let now = 0
  const clock = ((cb: (elapsed: number) => void) => {
    const t = { start: now, cb }
    timers.add(t)
    return { stop: () => void timers.delete(t) }
  }) as Clock & { tick(ms: number): void; running(): number }
  clock.tick = (ms: number) => {
    now += ms
    for (const t of [...timers]) t.cb(now - t.start)
  }
  clock.running = () => timers.size
  return clock
}
