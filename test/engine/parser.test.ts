// Malformed input: every error has a line, a column and a message a newcomer can act on, and the
// parser never throws.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../src/engine'

function errorsOf(text: string) {
  const r = parseScenario(text, 'bad.scenario')
  expect(r.ok).toBe(false)
  return r.ok ? [] : r.errors
}

function firstError(text: string) {
  const e = errorsOf(text)[0]!
  return { line: e.line, column: e.column, message: e.message }
}

describe('parser diagnostics', () => {
  it('an unknown statement lists what is allowed', () => {
    const e = firstError('main: x = list()\nmain: frobnicate(x)')
    expect(e.line).toBe(2)
    expect(e.message).toMatch(/unknown statement "frobnicate\(x\)"|"frobnicate" is not bound/)
  })

  it('a misspelt keyword statement suggests the right one and lists the forms', () => {
    const e = firstError('main: x = list()\nmain: Py_INCRF(x)')
    expect(e).toMatchObject({ line: 2, column: 7 })
    expect(e.message).toContain('Did you mean "Py_INCREF"?')
    expect(e.message).toContain('Py_BEGIN_CRITICAL_SECTION(x)')
  })

  it('a typo in a variable name suggests the close one', () => {
    const e = firstError('main: items = list()\nmain: del itmes')
    expect(e).toMatchObject({ line: 2, column: 11 })
    expect(e.message).toContain('Did you mean "items"?')
  })

  it('variables are per thread, and the message says how to share them', () => {
    const e = firstError('threads: main, T1\nmain: x = list()\nT1: y = x')
    expect(e).toMatchObject({ line: 3, column: 9 })
    expect(e.message).toMatch(/belongs to main.*G\.x = x/)
  })

  it('an unknown thread is reported with the declared ones', () => {
    const e = firstError('threads: main, T1\nT2: pass')
    expect(e).toMatchObject({ line: 2, column: 1 })
    expect(e.message).toContain('Declared threads: main, T1')
    expect(e.message).toContain('Did you mean "T1"?')
  })

  it('an operation that does not fit the type is an error before anything runs', () => {
    const e = firstError('main: d = dict()\nmain: d.append(d)')
    expect(e.line).toBe(2)
    expect(e.message).toMatch(/cannot append to "d": it holds a dict/)
  })

  it('an unknown mode, a bad schedule and a bad switch interval are header errors', () => {
    expect(firstError('mode: freethreaded\nmain: pass')).toMatchObject({ line: 1, column: 7 })
    expect(firstError('mode: freethreaded').message).toContain('Did you mean "free-threaded"?')
    expect(firstError('schedule: random(7)\nmain: pass').message).toContain('random(seed=42)')
    expect(firstError('threads: main, T1\nschedule: main T2\nmain: pass')).toMatchObject({ line: 2, column: 16 })
    expect(firstError('switch_interval: 0\nmain: pass').message).toMatch(/whole number from 1/)
  })

  it('expectations: unknown labels, fields and values', () => {
    expect(firstError('main: x = list() as L\nexpect M: local=1').message).toContain('no object is labelled "M"')
    expect(firstError('main: x = list() as L\nexpect L: locl=1').message).toContain('Did you mean "local"?')
    const e = firstError('main: x = list() as L\nexpect L: state=qeued')
    expect(e).toMatchObject({ line: 2, column: 17 })
    expect(e.message).toContain('Did you mean "queued"?')
    expect(firstError('main: pass\nexpect thread T9: status=running').message).toContain('unknown thread "T9"')
  })

  it('as on an immortal that already has a label names the existing label', () => {
    expect(firstError('main: x = None\nmain: y = None as N').message).toMatch(/already has the label "x"/)
  })

  it('critical sections must be closed with the matching END', () => {
    expect(firstError('main: a = list()\nmain: Py_END_CRITICAL_SECTION()').message).toMatch(/without a matching/)
    expect(firstError('main: a = list()\nmain: Py_BEGIN_CRITICAL_SECTION2(a, a)\nmain: Py_END_CRITICAL_SECTION()').message).toMatch(/END_CRITICAL_SECTION2/)
    expect(firstError('main: a = list()\nmain: Py_BEGIN_CRITICAL_SECTION(a)')).toMatchObject({ line: 2 })
  })

  it('statements after exit, unterminated strings and stray characters', () => {
    expect(firstError('main: exit\nmain: pass').message).toMatch(/already run "exit"/)
    expect(firstError('main: x = "abc')).toMatchObject({ line: 1, column: 11 })
    expect(firstError('main: x = list() ; y = x')).toMatchObject({ line: 1, column: 18 })
  })

  it('reports several errors at once, in line order', () => {
    const errors = errorsOf('main: del a\nmain: del b\nmain: pass\nmain: del c')
    expect(errors.map((e) => e.line)).toEqual([1, 2, 4])
  })

  it('labels default to the variable name, then name_2, name_3 …', () => {
    const r = parseScenario('threads: main, T1\nmain: x = list()\nT1: x = list()\nmain: G.cfg = dict()', 'x')
    expect(r.ok && r.scenario.objects.map((o) => o.label)).toEqual(['G', 'x', 'x_2', 'cfg'])
  })

  it('never throws, and every diagnostic has a line, a column and a message', () => {
    const alphabet = fc.constantFrom(...'main T1 x y = ( ) [ ] . , : # " \' del as expect G list() Py_INCREF 0 -5 \n \n'.split(' '))
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        const text = parts.join(' ')
        const r = parseScenario(text, 'fuzz')
        if (!r.ok) {
          for (const e of r.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1)
            expect(e.column).toBeGreaterThanOrEqual(1)
            expect(e.message.length).toBeGreaterThan(10)
          }
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses absurd sizes with a message instead of freezing', () => {
    const many = Array.from({ length: 70 }, (_, i) => `T${i}`).join(', ')
    expect(firstError(`threads: ${many}`).message).toMatch(/too many threads/)
    expect(firstError('x'.repeat(3000)).message).toMatch(/limit/)
  })
})
