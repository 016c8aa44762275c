// Placeholder: the animated scene (thread lanes, object cards, arrows) replaces this.
import type { SceneProps } from '../contracts'

export function Scene({ trace, position }: SceneProps) {
  const state = trace.stateAt(position)
  return (
    <figure className="scene" aria-label="Threads and objects">
      <ul>
        {state.objects
          .filter((o) => o.allocated)
          .map((o) => (
            <li key={o.id}>
              {o.label}: local {o.local}, shared {o.shared}
            </li>
          ))}
      </ul>
    </figure>
  )
}
