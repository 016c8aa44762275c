// Keys of presenter mode and the notes window, on the whole page (these pages show nothing else):
// what presentation clickers send (Page Up / Page Down, sometimes arrows) and B to blank the
// screen, as slide software does. Keys the player already handled are not handled again.

export type PresenterKey = 'forward' | 'back' | 'blank' | 'unblank' | 'start' | 'end'

export function presenterKey(event: {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
  readonly defaultPrevented: boolean
}): PresenterKey | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null
  switch (event.key) {
    case 'PageDown':
    case 'ArrowRight':
    case 'ArrowDown':
      return 'forward'
    case 'PageUp':
    case 'ArrowLeft':
    case 'ArrowUp':
      return 'back'
    case 'b':
    case 'B':
      return 'blank'
    case 'Escape':
      return 'unblank'
    case 'Home':
      return 'start'
    case 'End':
      return 'end'
    default:
      return null
  }
}

/** Whether a key on `target` belongs to a form control there (a text field, a select). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (target instanceof HTMLElement && target.isContentEditable)
}
