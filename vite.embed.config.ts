// The embed build: <pep703-explorer> as an ES module in library mode, written to dist/embed/
// (`npm run build` runs it after the app build). The entry (src/embed/element.ts) is small; the
// player (React, the engine, the UI) is a chunk beside it, loaded when the first element connects.
// The player's CSS goes into each element's shadow root (`?inline` imports in src/embed/mount.tsx),
// so the plain `import './x.css'` lines of the components are dropped here: nothing is added to
// the host page's <head>.

import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { bundledStories } from './scripts/storiesPlugin.ts'

const EMPTY_CSS = '\0pep703-empty-css'

const PREACT_ALIASES = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
]

/** The player's code panel becomes a lazy chunk (src/embed/LazyCodePanel.tsx). */
function lazyCodePanel(): Plugin {
  return {
    name: 'pep703-lazy-code-panel',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '../code/CodePanel' && importer && /src[\\/]ui[\\/]player[\\/]Player\.tsx$/.test(importer)) {
        return fileURLToPath(new URL('./src/embed/LazyCodePanel.tsx', import.meta.url))
      }
      return null
    },
  }
}

function dropPlainCssImports(): Plugin {
  return {
    name: 'pep703-drop-plain-css-imports',
    enforce: 'pre',
    resolveId(source) {
      if (/\.css$/.test(source)) return EMPTY_CSS
      return null
    },
    load(id) {
      return id === EMPTY_CSS ? 'export {}' : null
    },
  }
}

export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [dropPlainCssImports(), lazyCodePanel(), react(), bundledStories()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // The embed runs the same components on preact/compat (React's API in about a tenth of
  // react-dom's size), which brings the player chunk under 100 KB gzipped. The app and embed.html
  // keep React. PEP703_EMBED_RUNTIME=react builds the embed with React too (to compare).
  resolve: { alias: process.env.PEP703_EMBED_RUNTIME === 'react' ? [] : PREACT_ALIASES },
  build: {
    target: 'es2022',
    outDir: 'dist/embed',
    emptyOutDir: true,
    sourcemap: true,
    copyPublicDir: false,
    minify: true,
    lib: {
      entry: 'src/embed/element.ts',
      formats: ['es'],
      fileName: () => 'pep703-explorer.js',
    },
    rollupOptions: {
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Library mode leaves ES output unminified by default; an embed should be small.
        minify: true,
      },
    },
  },
})
