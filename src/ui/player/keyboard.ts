// The player's keyboard shortcuts: one table that drives both the key handler and the help
// overlay. Keys act only while focus is inside a player (the handler sits on the player's root
// element, never on window), so a host page's scrolling and other players are left alone.

export type PlayerCommand =
  | 'toggle-play'
  | 'step-forward'
  | 'step-back'
  | 'start'
  | 'end'
  | 'faster'
  | 'slower'
  | 'next-marker'
  | 'previous-marker'
  | 'fullscreen'
  | 'help'

export interface Shortcut {
  readonly command: PlayerCommand
  /** `KeyboardEvent.key` values. */
  readonly keys: readonly string[]
  /** How the keys are shown in the help overlay. */
  readonly label: string
  readonly description: string
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'toggle-play', keys: [' ', 'k', 'K'], label: 'Space or K', description: 'Play or pause' },
  {
    command: 'step-forward',
    keys: ['ArrowRight', 'l', 'L', 'PageDown', '.'],
    label: '→, L, Page Down or .',
    description: 'One step forward (Page Down is what presentation clickers send)',
  },
  {
    command: 'step-back',
    keys: ['ArrowLeft', 'j', 'J', 'PageUp', ','],
    label: '←, J, Page Up or ,',
    description: 'One step back (exact: the earlier state is rebuilt, not replayed)',
  },
  { command: 'start', keys: ['Home'], label: 'Home', description: 'Go to the start' },
  { command: 'end', keys: ['End'], label: 'End', description: 'Go to the end' },
  { command: 'next-marker', keys: [']'], label: ']', description: 'Next notable step (queue, merge, free, contention)' },
  { command: 'previous-marker', keys: ['['], label: '[', description: 'Previous notable step' },
  { command: 'faster', keys: ['+', '='], label: '+', description: 'Faster' },
  { command: 'slower', keys: ['-', '_'], label: '−', description: 'Slower' },
  { command: 'fullscreen', keys: ['f', 'F'], label: 'F', description: 'Full screen on or off' },
  { command: 'help', keys: ['?'], label: '?', description: 'Show or hide this list of shortcuts' },
]

const BY_KEY = new Map<string, PlayerCommand>(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.command] as const)))

/** The command for a key press, or null (then the key is left to the browser). */
export function commandForKey(event: {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly altKey: boolean
}): PlayerCommand | null {
  // Browser and system shortcuts (Ctrl+L, Alt+←, ⌘+…) are never taken.
  if (event.ctrlKey || event.metaKey || event.altKey) return null
  return BY_KEY.get(event.key) ?? null
}

/**
 * Whether a key event on `target` belongs to that element rather than to the player: text
 * fields, selects, radio buttons and other form controls keep their keys. The player's own
 * scrubber (marked `data-player-scrubber`) does not; buttons keep Enter and Space only.
 */
export function keyBelongsToTarget(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false
  if (target instanceof HTMLElement && target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') return !target.hasAttribute('data-player-scrubber')
  const role = target.getAttribute('role')
  if (role === 'textbox' || role === 'combobox' || role === 'listbox' || role === 'radio' || role === 'slider') {
    return true
  }
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || role === 'button' || role === 'link') {
    return key === ' ' || key === 'Enter'
  }
  return false
}
