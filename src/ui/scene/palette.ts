// Thread colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies), always
// paired with the thread's name. Colours come from CSS custom properties (scene.css) so the
// shell's light, dark and high-contrast themes can override them: --scene-thread-0 … -7.

/** Okabe–Ito, in the order threads get them (yellow late: it is faint on white). The 8th is the text colour. */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', 'currentColor'] as const

export const THREAD_COLOURS = OKABE_ITO.length

/** CSS class that sets `--tc` to the thread's colour (`tc-none` for no thread). */
export function threadClass(thread: number): string {
  return thread < 0 ? 'tc-none' : `tc-${thread % THREAD_COLOURS}`
}
