// `npm run scenario -- render FILE --step N --out step.svg`: a static SVG of one step, for docs
// that cannot run scripts (PDF and LaTeX builds, Markdown rendered by a code host). It is the
// app's own scene (src/ui/scene/Scene.tsx rendered with react-dom/server), with the scene's
// stylesheet and the theme's variables inside the file, a caption, and a link back to the live
// view of the same step.
//
// Options: --step N (default 0; past the end: the end), --mode M, --theme light|dark|contrast,
// --base URL (where the explorer is served; the link is relative without it), --out FILE
// (default: standard output). The layout is the app's at 1280 px.

import { readFileSync, writeFileSync } from 'node:fs'
import { register } from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MODES, parseScenario, runScenario, type Mode } from '../src/engine/index.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const THEMES = ['light', 'dark', 'contrast'] as const
type Theme = (typeof THEMES)[number]

export interface RenderOptions {
  readonly step: number
  readonly mode?: Mode
  readonly theme: Theme
  readonly base: string | null
}

/** Node cannot import the components' `.css` files: they become empty modules here. */
let hooked = false
function ignoreCssImports(): void {
  if (hooked) return
  hooked = true
  const hook = `export async function load(url, context, next) {
    if (url.endsWith('.css')) return { format: 'module', source: '', shortCircuit: true }
    return next(url, context)
  }`
  register(`data:text/javascript,${encodeURIComponent(hook)}`)
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** The first `<svg class="scene-svg"…>…</svg>` in `html`, nesting counted. */
export function extractSceneSvg(html: string): string {
  const start = html.indexOf('<svg class="scene-svg"')
  if (start < 0) throw new Error('the scene rendered no SVG')
  const tag = /<svg\b|<\/svg>/g
  tag.lastIndex = start
  let depth = 0
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    depth += m[0] === '</svg>' ? -1 : 1
    if (depth === 0) return html.slice(start, m.index + '</svg>'.length)
  }
  throw new Error('the scene SVG is not closed')
}

/** The theme variables, the player's bridges to the scene's names, and the scene's stylesheet. */
function styles(): string {
  const themes = readFileSync(join(ROOT, 'src/ui/styles/themes.css'), 'utf8')
  const scene = readFileSync(join(ROOT, 'src/ui/scene/scene.css'), 'utf8')
  const bridge = `
.pep-player {
  --pep-mono: ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, monospace;
  --panel: var(--pep-surface); --bg: var(--pep-surface-2); --text: var(--pep-text); --muted: var(--pep-muted);
  --border: var(--pep-border); --accent: var(--pep-accent); --fail: var(--pep-fail); --mono: var(--pep-mono);
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  font-size: 16px;
  color: var(--pep-text);
}
.pep-player .scene {
  --scene-thread-0: var(--pep-thread-0); --scene-thread-1: var(--pep-thread-1); --scene-thread-2: var(--pep-thread-2);
  --scene-thread-3: var(--pep-thread-3); --scene-thread-4: var(--pep-thread-4); --scene-thread-5: var(--pep-thread-5);
  --scene-thread-6: var(--pep-thread-6); --scene-thread-7: var(--pep-thread-7);
}
`
  // Comments out; the SVG stays readable and a little smaller.
  return `${themes}\n${bridge}\n${scene}`.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\n{3,}/g, '\n\n')
}

/** The live view's link: a built-in story by id, any other file as #scenario= text. */
export function liveLink(file: string, text: string, step: number, mode: Mode | undefined, base: string | null): string {
  const params = new URLSearchParams({ v: '1' })
  const stem = basename(file).replace(/\.scenario$/, '')
  const builtin = resolve(dirname(file)) === join(ROOT, 'stories/examples')
  if (builtin) params.set('story', stem)
  if (step > 0) params.set('step', String(step))
  if (mode) params.set('mode', mode)
  const fragment = builtin ? '' : `#scenario=${Buffer.from(text, 'utf8').toString('base64url')}`
  const query = `?${params.toString()}${fragment}`
  return base === null ? `index.html${query}` : new URL(query, base.endsWith('/') ? base : `${base}/`).href
}

export async function renderStepSvg(file: string, text: string, options: RenderOptions): Promise<{ svg: string; step: number; total: number }> {
  const parsed = parseScenario(text, file)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}`).join('\n'))
  const trace = runScenario(parsed.scenario, options.mode ? { mode: options.mode } : {})
  const step = Math.max(0, Math.min(trace.length, Math.floor(options.step)))

  ignoreCssImports()
  const [{ createElement }, { renderToStaticMarkup }, { Scene }] = await Promise.all([
    import('react'),
    import('react-dom/server'),
    import('../src/ui/scene/Scene.tsx'),
  ])
  const html = renderToStaticMarkup(
    createElement(Scene, { trace, position: step, previousPosition: step, reducedMotion: true, speed: 1 }),
  )
  const scene = extractSceneSvg(html)
  const size = /<svg class="scene-svg"[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"/.exec(scene)
  const width = Math.ceil(Number(size?.[1] ?? 1280))
  const height = Math.ceil(Number(size?.[2] ?? 600))
  const captionHeight = 54
  const title = parsed.scenario.title || basename(file)
  const link = liveLink(file, text, step, options.mode, options.base)
  const narration = step > 0 ? (trace.steps[step - 1]?.narration ?? '') : 'Initial state.'
  const caption = `${title} · step ${step} of ${trace.length} (${trace.mode}) · open the live view`
  const svg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height + captionHeight}" viewBox="0 0 ${width} ${height + captionHeight}" role="img" aria-labelledby="pep703-title pep703-desc">
<title id="pep703-title">${escapeXml(`${title}, step ${step} of ${trace.length}`)}</title>
<desc id="pep703-desc">${escapeXml(narration)}</desc>
<style>${styles()}</style>
<g class="pep-player" data-theme="${options.theme}">
<rect width="100%" height="100%" style="fill: var(--pep-surface)"/>
<g class="scene">${scene}</g>
<text x="12" y="${height + 20}" style="font: 15px system-ui, sans-serif; fill: var(--pep-text)">${escapeXml(narration.length > 150 ? `${narration.slice(0, 149)}…` : narration)}</text>
<a href="${escapeXml(link)}" xlink:href="${escapeXml(link)}" target="_blank">
<text x="12" y="${height + 44}" style="font: 13px system-ui, sans-serif; fill: var(--pep-accent); text-decoration: underline">${escapeXml(caption)}</text>
</a>
</g>
</svg>
`
  return { svg, step, total: trace.length }
}

/** The `render` command: returns the exit code. */
export async function renderCommand(args: readonly string[]): Promise<number> {
  const rest = [...args]
  const take = (name: string): string | null | undefined => {
    const i = rest.indexOf(name)
    if (i < 0) return undefined
    const value = rest[i + 1]
    rest.splice(i, 2)
    return value === undefined || value.startsWith('--') ? null : value
  }
  const stepText = take('--step')
  const modeText = take('--mode')
  const themeText = take('--theme')
  const base = take('--base')
  const out = take('--out')
  const usage = 'usage: npm run scenario -- render FILE [--step N] [--mode M] [--theme light|dark|contrast] [--base URL] [--out FILE.svg]'
  if (rest.length !== 1) {
    console.error(`render takes exactly one scenario file\n${usage}`)
    return 2
  }
  if (stepText === null || (stepText !== undefined && !/^\d+$/.test(stepText))) {
    console.error(`--step takes a step number (0, 1, 2, …)\n${usage}`)
    return 2
  }
  if (modeText === null || (modeText !== undefined && !(MODES as readonly string[]).includes(modeText))) {
    console.error(`--mode takes one of: ${MODES.join(', ')}`)
    return 2
  }
  if (themeText === null || (themeText !== undefined && !(THEMES as readonly string[]).includes(themeText))) {
    console.error(`--theme takes one of: ${THEMES.join(', ')}`)
    return 2
  }
  if (base === null || out === null) {
    console.error(usage)
    return 2
  }
  const file = rest[0]!
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    console.error(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    return 2
  }
  try {
    const result = await renderStepSvg(file, text, {
      step: stepText === undefined ? 0 : Number(stepText),
      ...(modeText ? { mode: modeText as Mode } : {}),
      theme: (themeText ?? 'light') as Theme,
      base: base ?? null,
    })
    if (out === undefined) process.stdout.write(result.svg)
    else {
      writeFileSync(out, result.svg)
      console.error(`wrote ${out}: step ${result.step} of ${result.total}`)
    }
    if (stepText !== undefined && Number(stepText) > result.total) console.error(`note: step ${stepText} is past the end; rendered step ${result.total}`)
    return 0
  } catch (e) {
    console.error((e as Error).message)
    return 1
  }
}
