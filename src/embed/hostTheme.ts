// The host page's light/dark setting, where the host exposes one, so an embedded player with
// theme="auto" matches the page around it:
//   - MkDocs Material: data-md-color-scheme="slate" (dark) or "default" (light) on <body>
//   - Docusaurus, pydata-sphinx-theme, Furo, Bootstrap: data-theme / data-bs-theme = dark | light
//   - Tailwind-style sites: class "dark" on <html>; mdBook: class coal, navy or ayu (dark), light or rust
// Nothing found: null, and the player follows prefers-color-scheme. No DOM access at import time.

export type HostTheme = 'light' | 'dark'

const DARK_CLASSES = ['dark', 'dark-mode', 'theme-dark', 'coal', 'navy', 'ayu']
const LIGHT_CLASSES = ['light', 'light-mode', 'theme-light', 'rust']
const THEME_ATTRIBUTES = ['data-theme', 'data-bs-theme', 'data-color-scheme', 'data-mode']

/** The attributes to observe on <html> and <body>. */
export const HOST_THEME_ATTRIBUTES = ['class', 'data-md-color-scheme', ...THEME_ATTRIBUTES]

function fromValue(value: string | null): HostTheme | null {
  if (value === null) return null
  const v = value.toLowerCase()
  if (/\bdark\b/.test(v)) return 'dark'
  if (/\blight\b/.test(v)) return 'light'
  return null
}

/** Reads one element's theme markers (the Material scheme first, then data-theme, then classes). */
export function themeOfElement(el: Element | null): HostTheme | null {
  if (!el) return null
  const md = el.getAttribute('data-md-color-scheme')
  if (md !== null) {
    if (md === 'slate') return 'dark'
    if (md === 'default') return 'light'
    const t = fromValue(md)
    if (t) return t
  }
  for (const name of THEME_ATTRIBUTES) {
    const t = fromValue(el.getAttribute(name))
    if (t) return t
  }
  const classes = el.classList
  if (DARK_CLASSES.some((c) => classes.contains(c))) return 'dark'
  if (LIGHT_CLASSES.some((c) => classes.contains(c))) return 'light'
  return null
}

/** The host document's theme: <body> first (Material, Furo), then <html>. */
export function hostTheme(doc: Document): HostTheme | null {
  return themeOfElement(doc.body) ?? themeOfElement(doc.documentElement)
}

/** Calls `onChange` whenever the host's markers change; returns the function that stops it. */
export function observeHostTheme(doc: Document, onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined
  const observer = new MutationObserver(onChange)
  const options = { attributes: true, attributeFilter: HOST_THEME_ATTRIBUTES }
  observer.observe(doc.documentElement, options)
  if (doc.body) observer.observe(doc.body, options)
  return () => observer.disconnect()
}
