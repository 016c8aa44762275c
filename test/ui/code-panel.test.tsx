// The code panel: the right snippet, the right highlighted line, the link to CPython 3.14, and the
// PEP 703 vs 3.14 callouts, for real steps of real scenarios.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MODES, parseScenario, runScenario, type Mode, type StepRecord } from '../../src/engine'
import { CodePanel, describeLines } from '../../src/ui/code/CodePanel'
import { tokenize } from '../../src/ui/code/highlight'
import { SNIPPETS, codeView } from '../../src/ui/code/snippets'

const root = join(import.meta.dirname, '..', '..')

function stepsOf(file: string, mode: Mode): readonly StepRecord[] {
  const parsed = parseScenario(readFileSync(join(root, file), 'utf8'), file)
  if (!parsed.ok) throw new Error(`${file} does not parse`)
  return runScenario(parsed.scenario, { mode }).steps
}

function findStep(file: string, mode: Mode, pred: (s: StepRecord) => boolean): StepRecord {
  const step = stepsOf(file, mode).find(pred)
  if (!step) throw new Error(`no such step in ${file} (${mode})`)
  return step
}

function panel() {
  return screen.getByTestId('code-panel')
}
function activeLines(): string[] {
  return [...panel().querySelectorAll('.cp-line[data-active]')].map((el) => el.querySelector('.cp-text')!.textContent ?? '')
}
function callouts(): HTMLElement[] {
  return within(panel()).queryAllByRole('note')
}

const EXAMPLES = 'stories/examples'

describe('CodePanel', () => {
  it('says nothing has run at position 0', () => {
    render(<CodePanel step={null} mode="free-threaded" />)
    expect(screen.getByRole('region', { name: 'The code that runs (free-threaded mode): Before the first step' })).toHaveTextContent(/No CPython code has run yet/)
    expect(panel().querySelector('pre')).toBeNull()
  })

  it('shows the owner’s plain store for incref.local and the atomic add for incref.shared', () => {
    const local = findStep(`${EXAMPLES}/01-owner-fast-path.scenario`, 'free-threaded', (s) => s.op === 'incref.local' && s.cpython === 'Py_INCREF')
    const { rerender } = render(<CodePanel step={local} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: 'Py_INCREF' })).toBeInTheDocument()
    expect(activeLines().join('\n')).toMatch(/op->ob_ref_local = local;/)
    expect(activeLines().join('\n')).not.toMatch(/ob_ref_shared/)

    const shared = findStep('test/scenarios/facts/fact-02-incref-owner-local-nonowner-shared.scenario', 'free-threaded', (s) => s.op === 'incref.shared' && s.cpython === 'Py_INCREF')
    rerender(<CodePanel step={shared} mode="free-threaded" />)
    expect(activeLines().join('\n')).toMatch(/atomic_add\(&op->ob_ref_shared/)
    expect(activeLines().join('\n')).not.toMatch(/ob_ref_local = local/)
  })

  it('links to the function’s file in CPython 3.14 on GitHub', () => {
    const cases: [string, string][] = [
      ['Py_INCREF', 'Include/refcount.h'],
      ['_Py_DecRefShared', 'Objects/object.c'],
      ['_Py_brc_queue_object', 'Python/brc.c'],
      ['merge_queued_objects', 'Python/gc_free_threading.c'],
      ['_PyCriticalSection_BeginSlow', 'Python/critical_section.c'],
      ['_Py_TryIncRefShared', 'Include/internal/pycore_object.h'],
      ['ensure_shared_on_read', 'Objects/dictobject.c'],
      ['take_gil', 'Python/ceval_gil.c'],
      ['thread_run', 'Modules/_threadmodule.c'],
      ['PyStackRef_CLOSE', 'Include/internal/pycore_stackref.h'],
      ['_PyEval_StopTheWorld', 'Python/pystate.c'],
      ['Queue.put', 'Lib/queue.py'],
    ]
    for (const [cpython, file] of cases) {
      const op = Object.keys(SNIPPETS[cpython]!.ops)[0]!
      const { unmount } = render(<CodePanel step={{ index: 0, thread: 0, line: 1, op, cpython, narration: '', changes: [] }} mode="free-threaded" />)
      const link = within(panel()).getByRole('link', { name: new RegExp(file.replace(/[./]/g, '\\$&')) })
      expect(link).toHaveAttribute('href', `https://github.com/python/cpython/blob/3.14/${file}`)
      expect(link).toHaveAccessibleName(/CPython 3\.14 on GitHub/)
      unmount()
    }
  })

  it('queues instead of subtracting, with the PEP 703 callout', () => {
    const file = `${EXAMPLES}/03-queued-then-merged.scenario`
    const queue = findStep(file, 'free-threaded', (s) => s.op === 'decref.queue')
    const { rerender } = render(<CodePanel step={queue} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: '_Py_DecRefShared' })).toBeInTheDocument()
    expect(activeLines().join('\n')).toMatch(/_Py_REF_QUEUED/)
    expect(activeLines().join('\n')).toMatch(/_Py_brc_queue_object\(op\)/)
    const notes = callouts()
    expect(notes).toHaveLength(1)
    expect(notes[0]).toHaveAttribute('data-callout', 'queue-at-zero')
    expect(notes[0]).toHaveTextContent(/PEP 703 says .*negative/)
    expect(notes[0]).toHaveTextContent(/CPython 3\.14 queues when the whole ob_ref_shared field is 0 or 1/)

    const merge = findStep(file, 'free-threaded', (s) => s.op === 'brc.merge')
    rerender(<CodePanel step={merge} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: '_Py_brc_merge_refcounts' })).toBeInTheDocument()
    expect(activeLines().join('\n')).toMatch(/_Py_ExplicitMergeRefcount\(op, -1\)/)
    expect(callouts()).toHaveLength(0)

    const last = findStep(file, 'free-threaded', (s) => s.op === 'decref.shared')
    rerender(<CodePanel step={last} mode="free-threaded" />)
    expect(activeLines()).toEqual([expect.stringMatching(/shared - \(1 << _Py_REF_SHARED_SHIFT\)/)])
  })

  it('shows the refusal of a try-incref and the fallback to the lock', () => {
    const steps = stepsOf('test/scenarios/facts/fact-15-first-nonowner-read-weakref.scenario', 'free-threaded')
    const weak = steps.find((s) => s.cpython === '_Py_NewRefWithLock' && s.op === 'incref.shared')!
    render(<CodePanel step={weak} mode="free-threaded" />)
    expect(activeLines().join('\n')).toMatch(/_Py_REF_MAYBE_WEAKREF/)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['maybe-weakref-on-read'])

    const refused = codeView({ op: 'tryincref.refused', cpython: '_Py_TryIncRefShared', changes: [] }, 'free-threaded')
    expect(refused.active.map((i) => refused.snippet.lines[i]!.text).join('\n')).toMatch(/return 0;/)
  })

  it('the owner’s fast free keeps ob_tid, and says PEP 703 differs', () => {
    const free = findStep(`${EXAMPLES}/01-owner-fast-path.scenario`, 'free-threaded', (s) => s.cpython === '_Py_MergeZeroLocalRefcount')
    render(<CodePanel step={free} mode="free-threaded" />)
    expect(activeLines().join('\n')).toMatch(/_Py_Dealloc\(op\);\s+\/\/ free now/)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['fast-free-keeps-tid'])
  })

  it('marks a re-entered critical section as a no-op', () => {
    const steps = stepsOf('test/scenarios/deadlock/cs-reentry-no-deadlock.scenario', 'free-threaded')
    const reenter = steps.find((s) => s.op === 'cs.reenter')!
    const { rerender } = render(<CodePanel step={reenter} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: '_PyCriticalSection_BeginSlow' })).toBeInTheDocument()
    expect(activeLines().join('\n')).toMatch(/c->_cs_mutex = NULL;/)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['cs-noop-reentry'])
    const lock = steps.find((s) => s.op === 'cs.lock')!
    rerender(<CodePanel step={lock} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: 'Py_BEGIN_CRITICAL_SECTION' })).toBeInTheDocument()
    expect(activeLines().join('\n')).toMatch(/PyMutex_LockFast/)
  })

  it('flags thread-id reuse only when the id really is reused', () => {
    const steps = stepsOf('test/scenarios/facts/fact-21-tid-reuse.scenario', 'free-threaded')
    const starts = steps.filter((s) => s.op === 'thread.start')
    const reused = starts.filter((s) => s.narration.includes('has exited'))
    expect(reused).toHaveLength(1)
    for (const s of starts) {
      const { unmount } = render(<CodePanel step={s} mode="free-threaded" />)
      expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(reused.includes(s) ? ['tid-reuse'] : [])
      unmount()
    }
    const exit = steps.find((s) => s.op === 'exit')!
    render(<CodePanel step={exit} mode="free-threaded" />)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['exit-does-not-merge'])
  })

  it('immortals and deferred objects get their callouts', () => {
    const steps = stepsOf(`${EXAMPLES}/05-immortal-and-deferred.scenario`, 'free-threaded')
    const immortal = steps.find((s) => s.op.endsWith('.immortal'))!
    const { rerender } = render(<CodePanel step={immortal} mode="free-threaded" />)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['immortal-local-max'])
    expect(callouts()[0]).toHaveTextContent(/UINT32_MAX/)
    const deferred = steps.find((s) => s.op === 'load.deferred' || s.op === 'call.deferred')!
    rerender(<CodePanel step={deferred} mode="free-threaded" />)
    expect(callouts().map((c) => c.getAttribute('data-callout'))).toEqual(['deferred-gc-bit'])
    expect(callouts()[0]).toHaveTextContent(/_PyGC_BITS_DEFERRED/)
  })

  it('shows the classic code in gil, atomic and unsafe modes, without PEP 703 callouts', () => {
    const file = `${EXAMPLES}/02-reference-crosses-threads.scenario`
    const gil = findStep(file, 'gil', (s) => s.op === 'incref')
    const { rerender } = render(<CodePanel step={gil} mode="gil" />)
    expect(activeLines()).toEqual([expect.stringMatching(/op->ob_refcnt\+\+;/)])
    expect(panel()).toHaveTextContent(/only the thread holding the GIL runs/)
    expect(callouts()).toHaveLength(0)

    const atomic = findStep(file, 'atomic', (s) => s.op === 'incref.atomic')
    rerender(<CodePanel step={atomic} mode="atomic" />)
    expect(activeLines().join('\n')).toMatch(/atomic_add\(&op->ob_refcnt, 1\)/)
    expect(panel()).toHaveTextContent(/Not a CPython build/)
    expect(callouts()).toHaveLength(0)

    const lost = `${EXAMPLES}/08-lost-update.scenario`
    const read = findStep(lost, 'unsafe', (s) => s.op === 'incref.read' || s.op === 'decref.read')
    rerender(<CodePanel step={read} mode="unsafe" />)
    expect(activeLines()).toEqual([expect.stringMatching(/Py_ssize_t r = op->ob_refcnt;/)])
    const write = findStep(lost, 'unsafe', (s) => s.op === 'incref.write' || s.op === 'decref.write')
    rerender(<CodePanel step={write} mode="unsafe" />)
    expect(activeLines()[0]).toMatch(/op->ob_refcnt = r [+-] 1;/)

    const noop = findStep(`${EXAMPLES}/06-critical-sections.scenario`, 'gil', (s) => s.op === 'cs.noop')
    rerender(<CodePanel step={noop} mode="gil" />)
    expect(activeLines().join('\n')).toMatch(/#define Py_BEGIN_CRITICAL_SECTION\(op\)\s+\{/)
  })

  it('renders every snippet in every mode with the mapped lines marked, and only those', () => {
    for (const [cpython, entry] of Object.entries(SNIPPETS)) {
      for (const mode of MODES) {
        const snippet = entry.variants?.[mode] ?? entry
        for (const op of Object.keys(snippet.ops)) {
          const step = { index: 0, thread: 0, line: 1, op, cpython, narration: '', changes: [] }
          const view = codeView(step, mode)
          expect(view.exact, `${cpython} ${op} ${mode}`).toBe(true)
          const { unmount } = render(<CodePanel step={step} mode={mode} />)
          const marked = [...panel().querySelectorAll('.cp-line')].flatMap((el, i) => (el.hasAttribute('data-active') ? [i] : []))
          expect(marked, `${cpython} ${op} ${mode}`).toEqual(view.active)
          expect(screen.getByRole('heading', { name: snippet.name })).toBeInTheDocument()
          unmount()
        }
      }
    }
  })

  it('tells screen readers which line runs', () => {
    const step = { index: 0, thread: 0, line: 1, op: 'brc.queue', cpython: '_Py_brc_queue_object', narration: '', changes: [] }
    render(<CodePanel step={step} mode="free-threaded" />)
    const pre = panel().querySelector('pre')!
    const view = codeView(step, 'free-threaded')
    const where = describeLines(view.active)
    expect(where).toMatch(/^lines \d+(–\d+)?(, \d+(–\d+)?)* and \d+(–\d+)?$/)
    expect(pre).toHaveAttribute('aria-label', `Pseudo-C of _Py_brc_queue_object, ${where} highlighted`)
    expect(panel().querySelectorAll('.cp-line[data-active] .cp-sr')).toHaveLength(view.active.length)
    expect(panel()).toHaveTextContent(`This step runs ${where}.`)
    expect(panel()).toHaveTextContent(/not CPython’s source text/)
  })

  it('copes with a CPython name it does not know', () => {
    render(<CodePanel step={{ index: 0, thread: 0, line: 1, op: 'x.y', cpython: '_Py_SomethingNew', narration: '', changes: [] }} mode="free-threaded" />)
    expect(screen.getByRole('heading', { name: '_Py_SomethingNew' })).toBeInTheDocument()
    expect(panel()).toHaveTextContent(/No pseudo-C has been written/)
    expect(within(panel()).queryByRole('link')).toBeNull()
  })
})

describe('describeLines', () => {
  it('names single lines, runs and gaps', () => {
    expect(describeLines([3])).toBe('line 4')
    expect(describeLines([5, 6, 7])).toBe('lines 6–8')
    expect(describeLines([5, 6, 7, 11])).toBe('lines 6–8 and 12')
    expect(describeLines([11, 0, 5, 6])).toBe('lines 1, 6–7 and 12')
  })
})

describe('highlight tokenizer', () => {
  it('classifies C keywords, types, calls, macros, numbers and comments', () => {
    const tokens = tokenize('    if (local == 0) return Py_INCREF(op); // UINT32_MAX 0xFF', 'c')
    const kinds = Object.fromEntries(tokens.filter((t) => t.kind !== 'text').map((t) => [t.text, t.kind]))
    expect(kinds).toMatchObject({ if: 'kw', '0': 'num', return: 'kw', Py_INCREF: 'fn', '// UINT32_MAX 0xFF': 'com' })
    expect(tokenize('uint32_t x = _Py_REF_MERGED;', 'c').map((t) => t.kind)).toEqual(['type', 'text', 'macro', 'text'])
    expect(tokenize('#define X 1', 'c')[0]).toEqual({ kind: 'pre', text: '#define' })
    expect(tokens.map((t) => t.text).join('')).toBe('    if (local == 0) return Py_INCREF(op); // UINT32_MAX 0xFF')
  })

  it('handles Python lines', () => {
    const tokens = tokenize('    with self.not_full:  # a comment', 'python')
    expect(tokens.find((t) => t.text === 'with')?.kind).toBe('kw')
    expect(tokens.at(-1)).toEqual({ kind: 'com', text: '# a comment' })
  })
})
