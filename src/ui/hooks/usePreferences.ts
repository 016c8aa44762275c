// Resolves the player's theme and motion choices against the user's system settings.

import type { MotionChoice, ThemeChoice } from '../../store/explorerStore'
import { usePrefersDark, usePrefersMoreContrast, usePrefersReducedMotion } from './useMediaQuery'

export type ResolvedTheme = 'light' | 'dark' | 'contrast'

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean, prefersMoreContrast: boolean): ResolvedTheme {
  if (choice !== 'system') return choice
  if (prefersMoreContrast) return 'contrast'
  return prefersDark ? 'dark' : 'light'
}

export function useResolvedTheme(choice: ThemeChoice): ResolvedTheme {
  return resolveTheme(choice, usePrefersDark(), usePrefersMoreContrast())
}

export function useResolvedReducedMotion(choice: MotionChoice): boolean {
  const prefersReduced = usePrefersReducedMotion()
  return choice === 'reduce' || (choice === 'system' && prefersReduced)
}
