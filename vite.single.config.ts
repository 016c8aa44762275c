// `npm run build:single`: the whole app in one self-contained file, dist/pep703-explorer.html,
// for speakers with no network: every script, stylesheet, scenario and the icon are inlined, so
// it works from file:// (double-click) offline. Run after `npm run build` (which empties dist/).

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { bundledStories } from './scripts/storiesPlugin.ts'

const OUTPUT = 'pep703-explorer.html'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Inlines the entry chunk and the CSS into index.html and emits only that file. */
function singleFile(): Plugin {
  return {
    name: 'pep703-single-file',
    enforce: 'post',
    transformIndexHtml(html) {
      const icon = readFileSync(new URL('./public/favicon.svg', import.meta.url), 'utf8')
      const dataUrl = `data:image/svg+xml,${encodeURIComponent(icon)}`
      return html.replace(/href="[^"]*favicon\.svg"/, `href="${dataUrl}"`)
    },
    generateBundle(_options, bundle) {
      const index = bundle['index.html']
      if (!index || index.type !== 'asset') throw new Error('single-file build: no index.html in the bundle')
      let html = String(index.source)
      for (const item of Object.values(bundle)) {
        const name = escapeRegExp(item.fileName)
        if (item.type === 'chunk') {
          if (!item.isEntry) throw new Error(`single-file build: unexpected chunk ${item.fileName} (dynamic import?)`)
          // Vite leaves the preload list of an inlined dynamic import (the playground's
          // React.lazy) as a bare placeholder when code splitting is off: nothing to preload here.
          const code = item.code
            .replace(/\b__VITE_PRELOAD__\b/g, 'void 0')
            .replace(/<\/script/gi, '<\\/script')
            .replace(/<!--/g, '<\\!--')
          const tag = new RegExp(`<script type="module"[^>]*src="[^"]*${name}"[^>]*></script>`)
          if (!tag.test(html)) throw new Error(`single-file build: no script tag for ${item.fileName}`)
          html = html.replace(tag, () => `<script type="module">${code}</script>`)
        } else if (item.fileName.endsWith('.css')) {
          const tag = new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${name}"[^>]*>`)
          if (!tag.test(html)) throw new Error(`single-file build: no link tag for ${item.fileName}`)
          const css = String(item.source).replace(/<\/style/gi, '<\\/style')
          html = html.replace(tag, () => `<style>${css}</style>`)
        }
      }
      if (/\s(?:src|href)="\.?\/?assets\//.test(html)) throw new Error('single-file build: a reference to assets/ is left')
      for (const key of Object.keys(bundle)) delete bundle[key]
      this.emitFile({ type: 'asset', fileName: OUTPUT, source: html })
    },
  }
}

/** The explorer's worker is inlined too (src/playground/workerFactory.inline.ts). */
function inlineWorker(): Plugin {
  return {
    name: 'pep703-inline-worker',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './workerFactory' && importer && /src[\\/]playground[\\/]exploreProtocol\.ts$/.test(importer)) {
        return fileURLToPath(new URL('./src/playground/workerFactory.inline.ts', import.meta.url))
      }
      return null
    },
  }
}

export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [inlineWorker(), react(), singleFile(), bundledStories()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: false,
    modulePreload: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    copyPublicDir: false,
    // One chunk: any dynamic import (stories loaded on demand) is inlined too.
    rollupOptions: { input: 'index.html', output: { codeSplitting: false } },
  },
})
