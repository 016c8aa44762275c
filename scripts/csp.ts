// The Content-Security-Policy of the built app (index.html) and the iframe page (embed.html),
// added as a <meta http-equiv> by the build (vite.config.ts), so it holds on any static host.
// Not in `npm start`: Vite's dev server and React Fast Refresh use inline scripts. Not in the
// single-file build (vite.single.config.ts), whose scripts are inline by design; see README: Trust.
//
// - script-src 'self': only our own files run; no inline scripts, no eval (not even 'unsafe-eval').
// - Styles: our stylesheets, no style attributes as markup (style-src-attr 'none': React and the
//   SVG export set styles through the CSSOM, which CSP allows), and <style> elements, which the
//   playground's editor (CodeMirror's style-mod) adds to the document at run time with contents
//   generated from its themes, so no hash can list them: style-src-elem 'unsafe-inline'. A style
//   element cannot run script; the injection tests show no markup gets into the page to add one.
//   Browsers without the -elem/-attr directives (before 2022) fall back to style-src 'self',
//   which leaves the editor unstyled but working.
// - img-src data: blob:: the PNG export draws the exported SVG from a blob: URL; data: for icons.
// - worker-src 'self' blob:: the explorer's module worker is a file of ours (blob: for Vite's
//   inline-worker fallback).
// - object-src 'none', base-uri 'none', form-action 'none': nothing to embed, no <base>, no forms sent.
// frame-ancestors cannot be set from a meta tag; embed.html is meant to be framed anyway.

import type { Plugin } from 'vite'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-elem 'self' 'unsafe-inline'",
  "style-src-attr 'none'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'pep703-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { filename }) {
        // Right after <meta charset>, before any script or stylesheet it governs.
        const charset = /<meta charset="[^"]*"\s*\/?>/i
        if (!charset.test(html)) throw new Error(`csp: no <meta charset> in ${filename}`)
        return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`)
      },
    },
  }
}
