// ESLint flat config.
//
// The block for src/engine/** is what keeps the simulation engine pure: no UI libraries, no
// imports that escape src/engine, no host APIs (DOM, timers, clocks) and no nondeterminism
// (Math.random, Date.now, new Date()). Do not weaken it without a reason written down here.

import { builtinModules } from 'node:module'
import path from 'node:path'
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const ENGINE_DIR = path.resolve(import.meta.dirname, 'src/engine')

/** Local rule: a relative or absolute import in src/engine must resolve inside src/engine. */
const noEscapingImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports that leave src/engine' },
    messages: {
      escape:
        "'{{source}}' resolves outside src/engine; the engine may only import its own files.",
    },
    schema: [],
  },
  create(context) {
    const fileDir = path.dirname(context.filename)
    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return
      const source = node.value
      const isPathLike = source.startsWith('.') || source.startsWith('/') || source.startsWith('src/')
      if (!isPathLike) return
      const target = source.startsWith('src/')
        ? path.resolve(import.meta.dirname, source)
        : path.resolve(fileDir, source)
      const rel = path.relative(ENGINE_DIR, target)
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return
      context.report({ node, messageId: 'escape', data: { source } })
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.literal ?? node.argument),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          check(node.arguments[0])
        }
      },
    }
  },
}

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))]

const restrictedGlobal = (name, why) => ({ name, message: `${why} The engine must stay pure.` })
const HOST = 'Host API: not available in the engine.'
const TIME = 'Wall-clock time and timers make the simulation nondeterministic.'

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**', 'scripts/**', '*.config.{js,ts}', '.ci/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['src/engine/**/*.{ts,tsx,js,mjs}'],
    plugins: { engine: { rules: { 'no-escaping-imports': noEscapingImports } } },
    rules: {
      'engine/no-escaping-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['react', 'react-dom', 'zustand'].map((name) => ({
              name,
              message: 'The engine is UI-free: no React or state-management imports.',
            })),
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The engine must not use Node built-ins.',
            })),
          ],
          patterns: [
            {
              group: ['react/*', 'react-dom/*', 'zustand/*', 'd3', 'd3-*', 'd3/*'],
              message: 'The engine is UI-free: no React, zustand or d3 imports.',
            },
            { group: ['node:*'], message: 'The engine must not use Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        restrictedGlobal('window', HOST),
        restrictedGlobal('document', HOST),
        restrictedGlobal('navigator', HOST),
        restrictedGlobal('localStorage', HOST),
        restrictedGlobal('sessionStorage', HOST),
        restrictedGlobal('location', HOST),
        restrictedGlobal('self', HOST),
        restrictedGlobal('globalThis', HOST),
        restrictedGlobal('process', HOST),
        restrictedGlobal('fetch', HOST),
        restrictedGlobal('crypto', 'Randomness makes the simulation nondeterministic.'),
        restrictedGlobal('setTimeout', TIME),
        restrictedGlobal('setInterval', TIME),
        restrictedGlobal('setImmediate', TIME),
        restrictedGlobal('clearTimeout', TIME),
        restrictedGlobal('clearInterval', TIME),
        restrictedGlobal('queueMicrotask', TIME),
        restrictedGlobal('requestAnimationFrame', TIME),
        restrictedGlobal('cancelAnimationFrame', TIME),
        restrictedGlobal('requestIdleCallback', TIME),
        restrictedGlobal('performance', TIME),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Nondeterministic: the engine must stay pure.' },
        { object: 'Date', property: 'now', message: 'Wall-clock time: the engine must stay pure.' },
        { object: 'performance', property: 'now', message: 'Wall-clock time: the engine must stay pure.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the wall clock: the engine must stay pure.',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: 'Date() reads the wall clock: the engine must stay pure.',
        },
      ],
    },
  },
)
