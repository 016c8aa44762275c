// The embed build: <pep703-explorer> as an ES module in library mode, written to dist/embed/
// (`npm run build` runs it after the app build). The entry (src/embed/element.ts) is small; the
// player (React, the engine, the UI) is a chunk beside it, loaded when the first element connects.
// The player's CSS goes into each element's shadow root (`?inline` imports in src/embed/mount.tsx),
// so the plain `import './x.css'` lines of the components are dropped here: nothing is added to
// the host page's <head>.

import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const EMPTY_CSS = '\0pep703-empty-css'

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
  plugins: [dropPlainCssImports(), react()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
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
