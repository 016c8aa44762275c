// Export the current picture for slides: the scene's SVG with every element's computed style
// written inline (so it looks the same outside the page, in any SVG viewer or slide tool), and a
// PNG drawn from that SVG on a canvas.

/** The SVG presentation properties worth copying from computed styles. */
const PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-opacity',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'letter-spacing',
  'marker-start',
  'marker-end',
  'color',
] as const

export interface ExportedSvg {
  readonly svg: string
  readonly width: number
  readonly height: number
}

/** The first scene SVG inside `root` (the player), or null. */
export function findSceneSvg(root: ParentNode): SVGSVGElement | null {
  return root.querySelector<SVGSVGElement>('[data-testid="scene"] svg.scene-svg:not(.scene-anim)')
}

/**
 * Serialises `svg` with inline computed styles and a background. `link` (the live view's URL)
 * becomes a link around the picture's caption, `caption` its text.
 */
export function serializeSvg(svg: SVGSVGElement, options: { background?: string; caption?: string; link?: string } = {}): ExportedSvg {
  const clone = svg.cloneNode(true) as SVGSVGElement
  const source = [svg, ...svg.querySelectorAll('*')]
  const target = [clone, ...clone.querySelectorAll<SVGElement>('*')]
  source.forEach((el, i) => {
    const copy = target[i]
    if (!copy) return
    const cs = getComputedStyle(el)
    const decl: string[] = []
    for (const p of PROPERTIES) {
      const v = cs.getPropertyValue(p)
      if (v !== '' && v !== 'normal' && !(p === 'display' && v !== 'none')) decl.push(`${p}:${v}`)
    }
    copy.removeAttribute('class')
    // Through the CSSOM, not setAttribute('style'): the app's CSP refuses style attributes as markup.
    copy.style.cssText = decl.join(';')
  })
  const viewBox = svg.viewBox.baseVal
  const width = Math.round(viewBox && viewBox.width > 0 ? viewBox.width : svg.getBoundingClientRect().width)
  const height = Math.round(viewBox && viewBox.height > 0 ? viewBox.height : svg.getBoundingClientRect().height)
  const captionHeight = options.caption ? 28 : 0
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink')
  clone.setAttribute('width', String(width))
  clone.setAttribute('height', String(height + captionHeight))
  clone.setAttribute('viewBox', `0 0 ${width} ${height + captionHeight}`)
  const ns = 'http://www.w3.org/2000/svg'
  const bg = document.createElementNS(ns, 'rect')
  bg.setAttribute('width', '100%')
  bg.setAttribute('height', '100%')
  bg.setAttribute('fill', options.background ?? getComputedStyle(svg).backgroundColor ?? '#ffffff')
  clone.insertBefore(bg, clone.firstChild)
  if (options.caption) {
    const text = document.createElementNS(ns, 'text')
    text.setAttribute('x', '12')
    text.setAttribute('y', String(height + 19))
    text.style.cssText = `font:13px system-ui,sans-serif;fill:${getComputedStyle(svg).color}`
    text.textContent = options.caption
    if (options.link) {
      const a = document.createElementNS(ns, 'a')
      a.setAttribute('href', options.link)
      a.appendChild(text)
      clone.appendChild(a)
    } else clone.appendChild(text)
  }
  const xml = new XMLSerializer().serializeToString(clone)
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, width, height: height + captionHeight }
}

/** Draws the SVG on a canvas at `scale` and returns a PNG blob. */
export async function svgToPng(exported: ExportedSvg, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([exported.svg], { type: 'image/svg+xml' }))
  try {
    const image = new Image()
    image.decoding = 'sync'
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve()
      image.onerror = () => reject(new Error('the browser could not draw the SVG'))
      image.src = url
    })
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(exported.width * scale)
    canvas.height = Math.round(exported.height * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas')
    ctx.scale(scale, scale)
    ctx.drawImage(image, 0, 0, exported.width, exported.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}

/** Saves `data` as a file through a temporary download link. */
export function download(data: Blob | string, filename: string, type = 'image/svg+xml'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
