// Completion in the playground's editor, as a pure function of the text and the cursor.

import { describe, expect, it } from 'vitest'
import { scanScenario, scenarioCompletions } from '../../src/playground/complete'

/** Completions at the `|` in `text`. */
function at(text: string): string[] {
  const pos = text.indexOf('|')
  const r = scenarioCompletions(text.slice(0, pos) + text.slice(pos + 1), pos)
  return r ? r.options.map((o) => o.apply ?? o.label) : []
}

const HEAD = 'threads: main, T1\nmain: x = list() as L\nmain: d = dict()\nmain: G.shared = x\nT1: y = G.shared\n'

describe('scenario completion', () => {
  it('offers threads, expect and headers at the start of a line', () => {
    expect(at(`${HEAD}|`)).toEqual(expect.arrayContaining(['main: ', 'T1: ', 'expect ', 'mode: ', 'schedule: ']))
    expect(at(`${HEAD}T|`)).toEqual(['T1: '])
    expect(at(`${HEAD}mo|`)).toEqual(['mode: '])
  })

  it('offers modes and schedules in their headers', () => {
    expect(at('mode: f|')).toEqual(['free-threaded'])
    expect(at(`schedule: main T|\n${HEAD}`)).toEqual(['T1'])
    expect(at(`schedule: r|\n${HEAD}`)).toEqual(['round-robin', 'random(seed=1)'])
  })

  it('offers statements and the variables this thread has bound above the cursor', () => {
    const options = at(`${HEAD}main: |`)
    expect(options).toEqual(expect.arrayContaining(['x', 'd', 'del ', 'Py_INCREF(', 'gc.collect()', 'exit']))
    expect(options).not.toContain('y') // T1's variable
    expect(at(`${HEAD}T1: |`)).toEqual(expect.arrayContaining(['y']))
    expect(at(`${HEAD}main: del |`)).toEqual(['x', 'd', 'G.'])
    expect(at(`${HEAD}main: del x\nmain: del |`)).toEqual(['d', 'G.'])
    // Variables bound below the cursor are not offered.
    expect(at(`threads: main\nmain: del |\nmain: late = list()\n`)).toEqual(['G.'])
  })

  it('offers values after =, globals after G., methods after a variable', () => {
    expect(at(`${HEAD}main: z = li|`)).toEqual(['list()'])
    expect(at(`${HEAD}main: z = |`)).toEqual(expect.arrayContaining(['x', 'list()', 'Queue()', 'None', 'G.']))
    expect(at(`${HEAD}T1: z = G.|`)).toEqual(['shared'])
    expect(at(`${HEAD}main: x.|`)).toEqual(['append(', 'pop()', 'clear()', 'put(', 'get()'])
    expect(at(`${HEAD}main: PyMutex_Lock(|`)).toEqual(['x', 'd', 'G'])
  })

  it('offers labels, thread names and fields in expectations', () => {
    expect(at(`${HEAD}expect |`)).toEqual(['L', 'd', 'thread ', 'deadlock'])
    expect(at(`${HEAD}expect L: ow|`)).toEqual(['owner='])
    expect(at(`${HEAD}expect L: owner=main, st|`)).toEqual(['state='])
    expect(at(`${HEAD}expect L: owner=|`)).toEqual(['main', 'T1', 'none'])
    expect(at(`${HEAD}expect L: state=q|`)).toEqual(['queued'])
    expect(at(`${HEAD}expect thread |`)).toEqual(['main: ', 'T1: '])
    expect(at(`${HEAD}expect thread T1: sta|`)).toEqual(['status='])
    expect(at(`${HEAD}expect thread T1: status=bl|`)).toEqual(['blocked'])
  })

  it('stays quiet inside comments, strings and titles', () => {
    expect(at(`${HEAD}main: pass  # x|`)).toEqual([])
    expect(at(`${HEAD}main: d["ke|`)).toEqual([])
    expect(at('title: my t|')).toEqual([])
  })

  it('finds threads from statements when there is no threads: line', () => {
    expect(scanScenario('main: x = list()\nW: y = G.x\n').threads).toEqual(['main', 'W'])
    expect(scanScenario('threads: A, main, B\n').threads).toEqual(['main', 'A', 'B'])
  })
})
