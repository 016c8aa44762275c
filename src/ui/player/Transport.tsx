// Play/pause, step back and forward, start and end, the step counter and the speed.
// Buttons at a boundary are aria-disabled rather than disabled, so keyboard focus never drops
// out of the player when a step reaches the start or the end.

import { memo, useId } from 'react'
import { lastPosition, SPEEDS } from '../../store/explorerStore'
import { useExplorer, useExplorerActions } from '../hooks/explorerContext'
import { speedLabel, stepStatus } from './format'
import { Icon, type IconName } from './icons'

interface ButtonProps {
  readonly icon: IconName
  readonly label: string
  readonly keys: string
  readonly disabled?: boolean
  readonly onPress: () => void
  readonly primary?: boolean
  readonly pressed?: boolean
}

function TransportButton({ icon, label, keys, disabled = false, onPress, primary = false, pressed }: ButtonProps) {
  return (
    <button
      type="button"
      className={primary ? 'pep-button pep-button-primary' : 'pep-button'}
      aria-label={label}
      title={`${label} (${keys})`}
      aria-keyshortcuts={keys}
      aria-disabled={disabled || undefined}
      aria-pressed={pressed}
      onClick={() => {
        if (!disabled) onPress()
      }}
    >
      <Icon name={icon} />
    </button>
  )
}

export const Transport = memo(function Transport() {
  const speedId = useId()
  const position = useExplorer((s) => s.position)
  const last = useExplorer(lastPosition)
  const playing = useExplorer((s) => s.playing)
  const speed = useExplorer((s) => s.speed)
  const actions = useExplorerActions()
  const empty = last === 0
  return (
    <div className="pep-transport">
      <div className="pep-buttons" role="group" aria-label="Playback">
        <TransportButton icon="start" label="Go to start" keys="Home" disabled={position === 0} onPress={actions.toStart} />
        <TransportButton
          icon="back"
          label="Step back"
          keys="ArrowLeft"
          disabled={position === 0}
          onPress={actions.stepBack}
        />
        <TransportButton
          icon={playing ? 'pause' : 'play'}
          label={playing ? 'Pause' : 'Play'}
          keys="Space"
          primary
          disabled={empty}
          onPress={actions.togglePlay}
        />
        <TransportButton
          icon="forward"
          label="Step forward"
          keys="ArrowRight"
          disabled={position >= last}
          onPress={actions.stepForward}
        />
        <TransportButton icon="end" label="Go to end" keys="End" disabled={position >= last} onPress={actions.toEnd} />
      </div>
      <output className="pep-step-status" data-testid="step-status" aria-live="off">
        {stepStatus(position, last)}
      </output>
      <span className="pep-speed">
        <label htmlFor={speedId}>Speed</label>
        <select id={speedId} value={String(speed)} onChange={(e) => actions.setSpeed(Number(e.target.value))}>
          {!SPEEDS.includes(speed as (typeof SPEEDS)[number]) && <option value={String(speed)}>{speedLabel(speed)}</option>}
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
      </span>
    </div>
  )
})
