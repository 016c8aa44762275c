// `npm run audit`: npm audit at high severity, for CI (.ci/run). Fails on any high or critical
// advisory that is not listed in ACCEPTED below (each with its reason, also given in README:
// Trust). When the registry's audit endpoint cannot be reached (offline CI, a mirror without the
// endpoint), it says so and passes, since it cannot judge; AUDIT_STRICT=1 makes that a failure too.

import { spawnSync } from 'node:child_process'

/** Advisories we accept, by package name, with why. Keep README: Trust in step. */
const ACCEPTED: Readonly<Record<string, string>> = {}

interface Vulnerability {
  readonly name: string
  readonly severity: string
  readonly via: readonly (string | { readonly title?: string; readonly url?: string })[]
  readonly isDirect: boolean
}

const run = spawnSync('npm', ['audit', '--json', '--audit-level=high'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
let report: { error?: { summary?: string }; message?: string; vulnerabilities?: Record<string, Vulnerability>; metadata?: { vulnerabilities?: Record<string, number> } }
try {
  report = JSON.parse(run.stdout || '{}') as typeof report
} catch {
  report = { error: { summary: (run.stderr || run.stdout || 'no output').split('\n')[0] } }
}

if (report.error || !report.metadata) {
  const why = report.error?.summary || report.message || run.stderr.trim().split('\n').at(-1) || 'no audit report'
  console.log(`audit: the registry's audit endpoint could not be used (${why}); nothing checked.`)
  process.exit(process.env.AUDIT_STRICT === '1' ? 1 : 0)
}

const serious = Object.values(report.vulnerabilities ?? {}).filter((v) => v.severity === 'high' || v.severity === 'critical')
const unaccepted = serious.filter((v) => !(v.name in ACCEPTED))
for (const v of serious) {
  const titles = v.via.map((x) => (typeof x === 'string' ? `via ${x}` : `${x.title ?? ''} ${x.url ?? ''}`.trim())).join('; ')
  console.log(`audit: ${v.severity} ${v.name}${v.isDirect ? ' (direct)' : ''}: ${titles}${v.name in ACCEPTED ? ` — accepted: ${ACCEPTED[v.name]}` : ''}`)
}
const counts = report.metadata.vulnerabilities ?? {}
console.log(`audit: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${unaccepted.length} high or critical not accepted`)
process.exit(unaccepted.length > 0 ? 1 : 0)
