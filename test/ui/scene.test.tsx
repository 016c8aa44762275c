import { act, render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Scene } from '../../src/ui/scene/Scene'
import { ObjectCard } from '../../src/ui/scene/ObjectCard'
import { QUEUED, after, run } from './scene-fixtures'

function props(trace: ReturnType<typeof run>, position: number, previousPosition: number, extra: { reducedMotion?: boolean; speed?: number } = {}) {
  return { trace, position, previousPosition, reducedMotion: extra.reducedMotion ?? false, speed: extra.speed ?? 1 }
}

function tweens(container: HTMLElement): string[] {
  return [...container.querySelectorAll('[data-tween]')].map((e) => e.getAttribute('data-tween')!)
}

describe('Scene animation', () => {
  it('animates a move of +1 and snaps any other move', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'incref.local')
    const { container, rerender } = render(<Scene {...props(trace, p - 1, p - 1)} />)
    expect(tweens(container)).toEqual([])
    rerender(<Scene {...props(trace, p, p - 1)} />)
    expect(tweens(container)).toContain('token')
    expect(container.querySelector('figure')?.getAttribute('data-animating')).toBe('true')
    // Step back: snap, nothing in flight.
    rerender(<Scene {...props(trace, p - 1, p)} />)
    expect(tweens(container)).toEqual([])
    // A jump forward: snap too.
    rerender(<Scene {...props(trace, p + 2, p - 1)} />)
    expect(tweens(container)).toEqual([])
  })

  it('a new step mid-animation replaces the old tweens at once', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'brc.queue')
    const { container, rerender } = render(<Scene {...props(trace, p, p - 1, { speed: 0.25 })} />)
    expect(tweens(container)).toContain('ghost')
    rerender(<Scene {...props(trace, p + 1, p, { speed: 0.25 })} />)
    const keys = [...container.querySelectorAll('[data-tween]')]
    expect(keys.length).toBeGreaterThan(0)
    // Only the merge's tweens are left (the push's ghost into the queue is gone).
    expect(tweens(container)).toContain('token')
    expect(container.querySelectorAll('[data-tween="ghost"]').length).toBe(1)
  })

  it('does not replay the current step when only the speed changes', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'incref.local')
    const { container, rerender } = render(<Scene {...props(trace, p, p - 1)} />)
    const first = container.querySelector('[data-tween="token"]')
    rerender(<Scene {...props(trace, p, p - 1, { speed: 4 })} />)
    expect(container.querySelector('[data-tween="token"]')).toBe(first)
  })

  it('reduced motion never renders a tween', () => {
    const trace = run(QUEUED)
    const { container, rerender } = render(<Scene {...props(trace, 0, 0, { reducedMotion: true })} />)
    for (let p = 1; p <= trace.length; p++) {
      rerender(<Scene {...props(trace, p, p - 1, { reducedMotion: true })} />)
      expect(tweens(container)).toEqual([])
    }
  })

  it('runs the tweens on the timer and ends with nothing visible left over', async () => {
    const trace = run(QUEUED)
    const p = after(trace, 'incref.local')
    const { container } = render(<Scene {...props(trace, p, p - 1, { speed: 16 })} />)
    const token = container.querySelector('[data-tween="token"]')!
    expect(token.getAttribute('visibility')).toBe('visible')
    await act(() => new Promise((resolve) => setTimeout(resolve, 120)))
    expect(token.getAttribute('visibility')).toBe('hidden')
    for (const el of container.querySelectorAll('[data-tween="cover"]')) expect(el.getAttribute('visibility')).toBe('hidden')
  })
})

describe('Scene rendering', () => {
  it('memoises cards (unchanged records are shared between consecutive states)', () => {
    const trace = run(QUEUED)
    const p = after(trace, 'queue.get')
    const a = trace.stateAt(p - 1)
    const b = trace.stateAt(p)
    const g = trace.final.objects.find((o) => o.label === 'G')!.id
    expect(b.objects[g]).toBe(a.objects[g])
    expect((ObjectCard as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.memo'))
  })

  it('renders every thread lane with a label and a colour class', () => {
    const trace = run(QUEUED)
    const { container } = render(<Scene {...props(trace, trace.length, trace.length)} />)
    const lanes = [...container.querySelectorAll('[data-thread]')]
    expect(lanes.map((l) => l.getAttribute('data-thread'))).toEqual(['main', 'T1'])
    expect(lanes[0]!.getAttribute('class')).toContain('tc-0')
    expect(lanes[1]!.getAttribute('class')).toContain('tc-1')
    expect(lanes[1]!.getAttribute('aria-label')).toMatch(/^Thread T1 \(tid 0x[0-9a-f]+\): running/)
  })
})
