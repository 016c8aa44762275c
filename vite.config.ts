import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'
import { contentSecurityPolicy } from './scripts/csp.ts'
import { bundledStories } from './scripts/storiesPlugin.ts'

export default defineConfig({
  // Relative asset URLs: the built app works from any sub-path (docs sites, previews, file hosts).
  base: './',
  plugins: [react(), contentSecurityPolicy(), bundledStories()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Two pages: the app, and embed.html (the chrome-less player for iframes).
    rollupOptions: { input: { main: 'index.html', embed: 'embed.html' } },
  },
  test: {
    env: { TZ: 'UTC' },
    exclude: ['**/node_modules/**', '**/dist/**', 'test/e2e/**', 'test-results/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          environment: 'node',
          include: ['test/engine/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/story/**/*.test.ts', 'test/trust/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['test/ui/**/*.test.{ts,tsx}', 'test/trust/**/*.test.tsx'],
          exclude: ['**/node_modules/**', 'test/e2e/**'],
          setupFiles: ['test/ui/setup.ts'],
        },
      },
    ],
  },
})
