// The player's settings bar: runtime mode, a second mode side by side, theme and motion.

import { memo, useId } from 'react'
import { MODES, type Mode } from '../../engine'
import { isMode, MOTIONS, THEMES, type MotionChoice, type ThemeChoice } from '../../store/explorerStore'
import { useExplorer, useExplorerActions } from '../hooks/explorerContext'
import { MODE_LABELS } from './format'

const THEME_LABELS: Readonly<Record<ThemeChoice, string>> = {
  system: 'System',
  light: 'Light',
  dark: 'Dark',
  contrast: 'High contrast',
}

const MOTION_LABELS: Readonly<Record<MotionChoice, string>> = {
  system: 'System',
  reduce: 'Reduced',
  full: 'Full',
}

/** The mode the main trace runs in (the override, or the scenario's header). */
export function useShownMode(): Mode {
  return useExplorer((s) => (s.sim?.kind === 'ok' ? s.sim.mode : (s.modeOverride ?? 'free-threaded')))
}

export const ModeSwitch = memo(function ModeSwitch() {
  const name = useId()
  const mode = useShownMode()
  const { setMode } = useExplorerActions()
  return (
    <fieldset className="pep-mode-switch">
      <legend>Mode</legend>
      <div className="pep-segmented">
        {MODES.map((m) => (
          <label key={m} title={MODE_LABELS[m].long} className={m === mode ? 'is-checked' : undefined}>
            <input
              type="radio"
              name={name}
              value={m}
              checked={m === mode}
              onChange={(e) => {
                if (e.target.checked) setMode(m)
              }}
            />
            <span>{MODE_LABELS[m].short}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
})

export const CompareSelect = memo(function CompareSelect() {
  const id = useId()
  const mode = useShownMode()
  const compareMode = useExplorer((s) => s.compareMode)
  const { setCompareMode } = useExplorerActions()
  return (
    <span className="pep-setting">
      <label htmlFor={id}>Side by side with</label>
      <select
        id={id}
        value={compareMode ?? ''}
        onChange={(e) => setCompareMode(isMode(e.target.value) ? e.target.value : null)}
      >
        <option value="">— (one mode)</option>
        {MODES.filter((m) => m !== mode || m === compareMode).map((m) => (
          <option key={m} value={m}>
            {MODE_LABELS[m].short}
          </option>
        ))}
      </select>
    </span>
  )
})

export const ThemeSelect = memo(function ThemeSelect() {
  const id = useId()
  const theme = useExplorer((s) => s.theme)
  const { setTheme } = useExplorerActions()
  return (
    <span className="pep-setting">
      <label htmlFor={id}>Theme</label>
      <select
        id={id}
        value={theme}
        title="System follows your light or dark setting; high contrast suits projectors"
        onChange={(e) => setTheme(e.target.value as ThemeChoice)}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {THEME_LABELS[t]}
          </option>
        ))}
      </select>
    </span>
  )
})

export const MotionSelect = memo(function MotionSelect() {
  const id = useId()
  const motion = useExplorer((s) => s.motion)
  const { setMotion } = useExplorerActions()
  return (
    <span className="pep-setting">
      <label htmlFor={id}>Motion</label>
      <select
        id={id}
        value={motion}
        title="Reduced: changes appear at once, with highlights, instead of moving"
        onChange={(e) => setMotion(e.target.value as MotionChoice)}
      >
        {MOTIONS.map((m) => (
          <option key={m} value={m}>
            {MOTION_LABELS[m]}
          </option>
        ))}
      </select>
    </span>
  )
})
