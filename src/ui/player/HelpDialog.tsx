// The keyboard-shortcut overlay (`?`). A modal dialog inside the player: focus moves to its
// Close button, stays inside while open, and returns where it was on close (Escape, `?`,
// the button or a click outside).

import { useEffect, useId, useRef } from 'react'
import { SHORTCUTS } from './keyboard'

interface Props {
  readonly onClose: () => void
}

export function HelpDialog({ onClose }: Props) {
  const titleId = useId()
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    // Inside a shadow root (the embed) document.activeElement is the host: ask the root node.
    const scope = closeRef.current?.getRootNode() as Document | ShadowRoot | undefined
    const active = scope?.activeElement ?? document.activeElement
    const previous = active instanceof HTMLElement ? active : null
    closeRef.current?.focus()
    return () => {
      // Focus goes back where it was (or to the player, if that element is gone).
      if (previous?.isConnected) previous.focus()
    }
  }, [])
  return (
    <div
      className="pep-help-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="pep-help"
        onKeyDown={(e) => {
          if (e.key === 'Tab') {
            // The Close button is the only control: keep focus on it.
            e.preventDefault()
            closeRef.current?.focus()
          }
        }}
      >
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <p>They work while focus is inside this player (click it or Tab to it first).</p>
        <table className="pep-shortcuts">
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.command}>
                <td>
                  <kbd>{s.label}</kbd>
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td>Close this list</td>
            </tr>
          </tbody>
        </table>
        <button type="button" ref={closeRef} className="pep-button pep-button-text" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
