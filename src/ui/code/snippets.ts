// The code panel's data: for every CPython function the engine names in a micro-step
// (StepRecord.cpython), a short pseudo-C paraphrase written for this project (not CPython's
// source text), the file it lives in, which line each micro-step kind (StepRecord.op) executes,
// and the places where PEP 703's text and the shipped CPython 3.14 differ.
//
// Pure data and functions: no React, so it can be unit-tested against the engine.

import { REF_STATE, type Change, type Mode, type StepRecord } from '../../engine'
import type { CodeLang } from './highlight'

/** Where links point: the 3.14 maintenance branch of CPython on GitHub. */
export const CPYTHON_BLOB = 'https://github.com/python/cpython/blob/3.14/'

/** What the code panel needs of a micro-step. */
export type StepLike = Pick<StepRecord, 'op' | 'cpython' | 'changes'>

export interface CodeLine {
  readonly text: string
  /** Line keys: a micro-step whose op maps to one of them highlights this line. */
  readonly keys: readonly string[]
}

export interface Snippet {
  /** The function shown (usually StepRecord.cpython itself). */
  readonly name: string
  /** Path in the CPython repository. */
  readonly file: string
  readonly lang: CodeLang
  /** One sentence: what this function does in the model. */
  readonly summary: string
  /** Shown above the code, e.g. "this mode is not a real CPython build". */
  readonly note?: string
  readonly lines: readonly CodeLine[]
  /** op → the line key(s) it executes, space-separated. */
  readonly ops: Readonly<Record<string, string>>
  /** A finer choice of line key(s) from the step's field writes; undefined keeps `ops`. */
  readonly refine?: (step: StepLike) => string | undefined
}

export interface SnippetEntry extends Snippet {
  /** The code of the same step in the comparison modes, where it differs. */
  readonly variants?: Partial<Record<Mode, Snippet>>
}

/** "PEP 703 says …; CPython 3.14 does …". */
export interface Callout {
  readonly id: string
  readonly pep: string
  readonly cpython: string
}

// ---------------------------------------------------------------------------------- helpers

/**
 * Parses a snippet written as `keys | code`: the text left of the first `|` names the line's
 * keys (space-separated, may be empty); one space after the bar is dropped.
 */
export function code(strings: TemplateStringsArray): CodeLine[] {
  const lines = strings.raw.join('').split('\n')
  while (lines.length && lines[0]!.trim() === '') lines.shift()
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop()
  return lines.map((line) => {
    const bar = line.indexOf('|')
    if (bar < 0) throw new Error(`snippet line without a key bar: ${line}`)
    const keys = line.slice(0, bar).trim()
    const rest = line.slice(bar + 1)
    return { keys: keys ? keys.split(/\s+/) : [], text: rest.startsWith(' ') ? rest.slice(1) : rest }
  })
}

function objectWrites(step: StepLike, field: string): Change[] {
  return step.changes.filter((c) => c.target === 'object' && c.field === field)
}
function threadWrites(step: StepLike, field: string): Change[] {
  return step.changes.filter((c) => c.target === 'thread' && c.field === field)
}

const HYPOTHETICAL =
  'Not a CPython build: this mode shows what CPython would look like without the GIL and with one shared ob_refcnt, for comparison.'
const ATOMIC_NOTE = `${HYPOTHETICAL} Every change is an atomic read-modify-write.`
const UNSAFE_NOTE = `${HYPOTHETICAL} Changes are a plain load and a plain store, so two threads can lose an update.`
const GIL_NOTE = 'The default (GIL) build: only the thread holding the GIL runs Python code.'

// ---------------------------------------------------------------------------------- reference counting

const INCREF_ATOMIC: Snippet = {
  name: 'Py_INCREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Take a new reference: one atomic add on the single ob_refcnt, whoever the thread is.',
  note: ATOMIC_NOTE,
  lines: code`
         | static inline void Py_INCREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;                         // immortal: never counted
incref   |     atomic_add(&op->ob_refcnt, 1);      // a locked instruction: the cache
incref   |                                         // line moves to this core
         | }`,
  ops: { 'incref.atomic': 'incref', 'incref.immortal': 'immortal', 'incref.freed': 'incref' },
}

const INCREF_UNSAFE: Snippet = {
  name: 'Py_INCREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Take a new reference with a plain, non-atomic ob_refcnt++: a load, then a store.',
  note: UNSAFE_NOTE,
  lines: code`
         | static inline void Py_INCREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;
read     |     Py_ssize_t r = op->ob_refcnt;       // 1. load into a register
         |     /* another thread may run right here */
write    |     op->ob_refcnt = r + 1;              // 2. store: overwrites any update
write    |                                         //    made since the load
         | }`,
  ops: { 'incref.read': 'read', 'incref.write': 'write', 'refcnt.write-freed': 'write', 'incref.immortal': 'immortal', 'incref.freed': 'read' },
}

const DECREF_ATOMIC: Snippet = {
  name: 'Py_DECREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Drop a reference: one atomic subtract on ob_refcnt; whoever reaches 0 frees the object.',
  note: ATOMIC_NOTE,
  lines: code`
         | static inline void Py_DECREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;
decref   |     if (atomic_sub(&op->ob_refcnt, 1) == 1)   // old value 1: now 0
free     |         _Py_Dealloc(op);
         | }`,
  ops: { 'decref.atomic': 'decref', 'decref.immortal': 'immortal', 'decref.freed': 'decref' },
  refine: (s) => (s.op === 'decref.atomic' && objectWrites(s, 'refcnt').some((c) => c.value === 0) ? 'decref free' : undefined),
}

const DECREF_UNSAFE: Snippet = {
  name: 'Py_DECREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Drop a reference with a plain, non-atomic ob_refcnt--: a load, then a store.',
  note: UNSAFE_NOTE,
  lines: code`
         | static inline void Py_DECREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;
read     |     Py_ssize_t r = op->ob_refcnt;       // 1. load into a register
         |     /* another thread may run right here */
write    |     op->ob_refcnt = r - 1;              // 2. store: may undo another update
free     |     if (r - 1 == 0)
free     |         _Py_Dealloc(op);                // may free an object still in use
         | }`,
  ops: { 'decref.read': 'read', 'decref.write': 'write', 'refcnt.write-freed': 'write', 'decref.immortal': 'immortal', 'decref.freed': 'read' },
  refine: (s) => (s.op === 'decref.write' && objectWrites(s, 'refcnt').some((c) => c.value === 0) ? 'write free' : undefined),
}

const PY_INCREF: SnippetEntry = {
  name: 'Py_INCREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Take a new reference. The owner bumps its private ob_ref_local; any other thread adds to ob_ref_shared atomically.',
  lines: code`
         | static inline void Py_INCREF(PyObject *op)
         | {
read     |     uint32_t local = op->ob_ref_local + 1;
immortal |     if (local == 0)                    // it was UINT32_MAX: immortal,
immortal |         return;                        // so nothing is written
owner    |     if (op->ob_tid == _Py_ThreadId())  // does this thread own it?
local    |         op->ob_ref_local = local;      // yes: a plain store, no atomics
         |     else                               // no: the shared field, atomically
shared   |         atomic_add(&op->ob_ref_shared, 1 << _Py_REF_SHARED_SHIFT);
         | }`,
  ops: { 'incref.local': 'owner local', 'incref.shared': 'owner shared', 'incref.immortal': 'read immortal', 'incref.freed': 'read' },
  variants: {
    gil: {
      name: 'Py_INCREF',
      file: 'Include/refcount.h',
      lang: 'c',
      summary: 'Take a new reference: a plain ob_refcnt++, safe because only the GIL holder runs.',
      note: GIL_NOTE,
      lines: code`
         | static inline void Py_INCREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;                 // immortal: leave the count alone
incref   |     op->ob_refcnt++;            // plain add: the GIL is the only protection
         | }`,
      ops: { incref: 'incref', 'incref.immortal': 'immortal', 'incref.freed': 'incref' },
    },
    atomic: INCREF_ATOMIC,
    unsafe: INCREF_UNSAFE,
  },
}

const PY_DECREF: SnippetEntry = {
  name: 'Py_DECREF',
  file: 'Include/refcount.h',
  lang: 'c',
  summary: 'Drop a reference. The owner decrements ob_ref_local; any other thread takes the shared path (_Py_DecRefShared).',
  lines: code`
         | static inline void Py_DECREF(PyObject *op)
         | {
read     |     uint32_t local = op->ob_ref_local;
immortal |     if (local == UINT32_MAX)                // immortal: never freed
immortal |         return;
owner    |     if (op->ob_tid == _Py_ThreadId()) {
local    |         op->ob_ref_local = --local;         // owner: a plain store
zero     |         if (local == 0)                     // its last local reference:
zero     |             _Py_MergeZeroLocalRefcount(op); //   free it, or merge the counts
         |     }
         |     else
shared   |         _Py_DecRefShared(op);               // not the owner: atomic path
         | }`,
  ops: { 'decref.local': 'owner local', 'decref.immortal': 'read immortal', 'decref.freed': 'read' },
  refine: (s) => (s.op === 'decref.local' && objectWrites(s, 'local').some((c) => c.value === 0) ? 'owner local zero' : undefined),
  variants: {
    gil: {
      name: 'Py_DECREF',
      file: 'Include/refcount.h',
      lang: 'c',
      summary: 'Drop a reference: a plain ob_refcnt--, safe because only the GIL holder runs.',
      note: GIL_NOTE,
      lines: code`
         | static inline void Py_DECREF(PyObject *op)
         | {
immortal |     if (_Py_IsImmortal(op))
immortal |         return;
decref   |     if (--op->ob_refcnt == 0)     // plain: safe only under the GIL
free     |         _Py_Dealloc(op);
         | }`,
      ops: { decref: 'decref', 'decref.immortal': 'immortal', 'decref.freed': 'decref' },
      refine: (s) => (s.op === 'decref' && objectWrites(s, 'refcnt').some((c) => c.value === 0) ? 'decref free' : undefined),
    },
    atomic: DECREF_ATOMIC,
    unsafe: DECREF_UNSAFE,
  },
}

const DECREF_SHARED: SnippetEntry = {
  name: '_Py_DecRefShared',
  file: 'Objects/object.c',
  lang: 'c',
  summary: 'A decref by a thread that does not own the object: a compare-and-swap loop on ob_ref_shared (via _Py_DecRefSharedIsDead).',
  lines: code`
      | void _Py_DecRefShared(PyObject *op)
      | {
      |     Py_ssize_t shared = atomic_load(&op->ob_ref_shared), new_shared;
      |     int queue;
      |     do {
queue |         queue = (shared == 0 || shared == _Py_REF_MAYBE_WEAKREF);
queue |         if (queue)                     // the count would go below 0:
queue |             new_shared = _Py_REF_QUEUED;     // don't subtract, mark QUEUED
      |         else
sub   |             new_shared = shared - (1 << _Py_REF_SHARED_SHIFT);
      |     } while (!atomic_cas(&op->ob_ref_shared, &shared, new_shared));
push  |     if (queue) _Py_brc_queue_object(op);    // the owner will merge it
dead  |     else if (new_shared == _Py_REF_MERGED)  // MERGED and count 0: dead
dead  |         _Py_Dealloc(op);
      | }`,
  ops: { 'decref.queue': 'queue push', 'decref.shared': 'sub' },
}

const MERGE_ZERO_LOCAL: SnippetEntry = {
  name: '_Py_MergeZeroLocalRefcount',
  file: 'Objects/object.c',
  lang: 'c',
  summary: "Runs in the owner when its ob_ref_local reaches 0: free at once if no other thread ever counted a reference, else give up ownership.",
  lines: code`
     | void _Py_MergeZeroLocalRefcount(PyObject *op)
     | {
     |     Py_ssize_t shared = atomic_load(&op->ob_ref_shared);
fast |     if (shared == 0) {                 // the whole field: count 0, state 0
fast |         _Py_Dealloc(op);               // free now (ob_tid is left as it is)
fast |         return;
     |     }
slow |     atomic_store(&op->ob_tid, 0);      // give up ownership first,
     |     do {                               // then mark MERGED, keeping the count
slow |         new_shared = (shared & ~_Py_REF_SHARED_FLAG_MASK) | _Py_REF_MERGED;
     |     } while (!atomic_cas(&op->ob_ref_shared, &shared, new_shared));
dead |     if (new_shared == _Py_REF_MERGED)  // the count was 0 as well
dead |         _Py_Dealloc(op);
     | }`,
  ops: { 'decref.local': 'fast', 'merge.zero': 'slow' },
  // The engine's second merge.zero case ("went back to 0 meanwhile") writes no ob_tid: fast path.
  refine: (s) => (s.op === 'merge.zero' && objectWrites(s, 'tid').length === 0 ? 'fast' : undefined),
}

const BRC_QUEUE: SnippetEntry = {
  name: '_Py_brc_queue_object',
  file: 'Python/brc.c',
  lang: 'c',
  summary: "Hands an object to its owner's merge queue and pokes the owner's eval breaker.",
  lines: code`
       | void _Py_brc_queue_object(PyObject *op)
       | {
tid    |     uintptr_t tid = atomic_load(&op->ob_tid);
gone   |     if (tid == 0) {                  // the owner merged it meanwhile:
gone   |         Py_DECREF(op);               //   an ordinary decref will do
gone   |         return;
       |     }
find   |     PyThreadState *owner = find_thread_by_tid(tid);  // under a bucket lock
exited |     if (owner == NULL) {             // the owner has exited: merge here
exited |         if (_Py_ExplicitMergeRefcount(op, -1) == 0) _Py_Dealloc(op);
exited |         return;
       |     }
push   |     push(&owner->brc.objects_to_merge, op);
push   |     set_eval_breaker_bit(owner, _PY_EVAL_EXPLICIT_MERGE_BIT);
       | }`,
  ops: { 'brc.queue': 'tid find push', 'brc.owner-gone': 'tid gone' },
}

const EXPLICIT_MERGE: SnippetEntry = {
  name: '_Py_ExplicitMergeRefcount',
  file: 'Objects/object.c',
  lang: 'c',
  summary: 'Folds ob_ref_local into ob_ref_shared and leaves the object unowned and MERGED. Called by _Py_brc_queue_object with extra = −1 when the owner has exited.',
  lines: code`
      | Py_ssize_t _Py_ExplicitMergeRefcount(PyObject *op, Py_ssize_t extra)
      | {
clear |     Py_ssize_t local = op->ob_ref_local;
clear |     op->ob_ref_local = 0;            // the owner's count moves out,
clear |     op->ob_tid = 0;                  // and nobody owns the object now
      |     Py_ssize_t shared = atomic_load(&op->ob_ref_shared), total;
      |     do {
merge |         total = (shared >> _Py_REF_SHARED_SHIFT) + local + extra;
merge |     } while (!atomic_cas(&op->ob_ref_shared, &shared,
merge |                          (total << _Py_REF_SHARED_SHIFT) | _Py_REF_MERGED));
ret   |     return total;                    // 0: the caller frees it
      | }`,
  ops: { 'brc.merge-here': 'clear merge ret' },
}

const BRC_MERGE: SnippetEntry = {
  name: '_Py_brc_merge_refcounts',
  file: 'Python/brc.c',
  lang: 'c',
  summary: 'Runs in the owner when its eval breaker finds the explicit-merge bit: merges every object other threads queued for it.',
  lines: code`
      | void _Py_brc_merge_refcounts(PyThreadState *tstate)
      | {
      |     struct _brc_thread_state *brc = &tstate->brc;
take  |     lock(bucket_for(brc->tid));
take  |     move_all(&brc->local_objects_to_merge, &brc->objects_to_merge);
take  |     unlock(bucket_for(brc->tid));
      |     PyObject *op;
loop  |     while ((op = pop(&brc->local_objects_to_merge)) != NULL) {
merge |         // extra = -1: drop the reference the queue entry held
merge |         if (_Py_ExplicitMergeRefcount(op, -1) == 0)
free  |             _Py_Dealloc(op);          // nobody else holds it: free here
      |     }
      | }`,
  ops: { 'brc.merge': 'take loop merge' },
}

const BRC_REMOVE_THREAD: SnippetEntry = {
  name: '_Py_brc_remove_thread',
  file: 'Python/brc.c',
  lang: 'c',
  summary: 'Thread exit: drain the merge queue and leave the biased-refcount table.',
  lines: code`
       | void _Py_brc_remove_thread(PyThreadState *tstate)
       | {
drain  |     _Py_brc_merge_refcounts(tstate);     // merge what is queued for it
       |     lock(bucket_for(brc->tid));
unlink |     unlink(&brc->bucket_node);           // no longer findable by tid
       |     unlock(bucket_for(brc->tid));
       |     // Objects this thread owns are not visited: they keep its
       |     // (soon stale) id in ob_tid and their local counts.
       | }`,
  ops: { 'exit.drain': 'drain unlink' },
  variants: Object.fromEntries(
    (['gil', 'atomic', 'unsafe'] as const).map((mode) => [
      mode,
      {
        name: 'PyThreadState_Clear',
        file: 'Python/pystate.c',
        lang: 'c',
        summary: 'Thread exit in a build without biased reference counting: there is no merge queue to drain.',
        note: mode === 'gil' ? GIL_NOTE : HYPOTHETICAL,
        lines: code`
      | void PyThreadState_Clear(PyThreadState *tstate)
      | {
      |     // the thread's frames and locals are already gone
none  |     // no per-object owner, no merge queue: nothing to hand over
leave |     clear_thread_state_fields(tstate);   // then the thread leaves
      | }`,
        ops: { 'exit.drain': 'none leave' },
      } satisfies Snippet,
    ]),
  ),
}

const DEALLOC: SnippetEntry = {
  name: '_Py_Dealloc',
  file: 'Objects/object.c',
  lang: 'c',
  summary: "The object dies: its type's tp_dealloc releases what it holds and returns its memory block to the heap page.",
  lines: code`
        | void _Py_Dealloc(PyObject *op)
        | {
dealloc |     destructor dealloc = Py_TYPE(op)->tp_dealloc;
dealloc |     (*dealloc)(op);            // e.g. list_dealloc:
        |     //   Py_XDECREF each item it held           (the next steps)
free    |     //   PyObject_Free(op) → mimalloc frees the block:
free    |     //     on this thread's page: the page's free list
free    |     //     on another thread's page: its cross-thread free list
        | }`,
  ops: { dealloc: 'dealloc free', 'dealloc.double': 'dealloc' },
}

// ---------------------------------------------------------------------------------- try-incref, reads

const TRY_INCREF_SHARED: SnippetEntry = {
  name: '_Py_TryIncRefShared',
  file: 'Include/internal/pycore_object.h',
  lang: 'c',
  summary: "A lock-free reader's incref on an object it does not own. It refuses when the object might be in the middle of being freed.",
  lines: code`
       | static inline int _Py_TryIncRefShared(PyObject *op)
       | {
       |     Py_ssize_t shared = atomic_load_relaxed(&op->ob_ref_shared);
       |     for (;;) {
refuse |         // 0, or exactly MERGED with count 0: it may be being freed
refuse |         if (shared == 0 || shared == _Py_REF_MERGED)
refuse |             return 0;                  // the caller retries under the lock
add    |         if (atomic_cas(&op->ob_ref_shared, &shared,
add    |                        shared + (1 << _Py_REF_SHARED_SHIFT)))
add    |             return 1;
       |     }
       | }`,
  ops: { 'incref.shared': 'add', 'tryincref.refused': 'refuse' },
}

const TRY_INCREF_FAST: SnippetEntry = {
  name: '_Py_TryIncrefFast',
  file: 'Include/internal/pycore_object.h',
  lang: 'c',
  summary: "A lock-free reader's first try: succeed for immortals and for the owner, without any atomic operation.",
  lines: code`
         | static inline int _Py_TryIncrefFast(PyObject *op)
         | {
         |     uint32_t local = op->ob_ref_local + 1;
immortal |     if (local == 0)                          // immortal:
immortal |         return 1;                            //   nothing to count
owner    |     if (_Py_IsOwnedByCurrentThread(op)) {    // the owner:
local    |         op->ob_ref_local = local;            //   a plain store
local    |         return 1;
         |     }
         |     return 0;        // someone else's: _Py_TryIncRefShared is next
         | }`,
  ops: { 'incref.local': 'owner local', 'incref.immortal': 'immortal' },
}

const NEW_REF_WITH_LOCK: SnippetEntry = {
  name: '_Py_NewRefWithLock',
  file: 'Include/internal/pycore_object.h',
  lang: 'c',
  summary: "An incref done while holding the container's lock (list_item_impl, a dict read's locked retry). It cannot be refused.",
  lines: code`
       | static inline PyObject *_Py_NewRefWithLock(PyObject *op)
       | {
fast   |     if (_Py_TryIncrefFast(op))          // immortal, or this thread owns it
fast   |         return op;
       |     Py_ssize_t shared = atomic_load(&op->ob_ref_shared), new_shared;
       |     do {
shared |         new_shared = shared + (1 << _Py_REF_SHARED_SHIFT);
weak   |         if ((shared & _Py_REF_SHARED_FLAG_MASK) == 0)
weak   |             new_shared |= _Py_REF_MAYBE_WEAKREF;   // others may try-incref it
shared |     } while (!atomic_cas(&op->ob_ref_shared, &shared, new_shared));
       |     return op;
       | }`,
  ops: { 'incref.local': 'fast', 'incref.immortal': 'fast', 'incref.shared': 'shared' },
  refine: (s) => (s.op === 'incref.shared' && objectWrites(s, 'state').some((c) => c.value === REF_STATE.weakref) ? 'shared weak' : undefined),
}

const DICT_LOOKUP_STACKREF: SnippetEntry = {
  name: '_Py_dict_lookup_threadsafe_stackref',
  file: 'Objects/dictobject.c',
  lang: 'c',
  summary: 'A lock-free dict read (LOAD_GLOBAL, for instance) that puts the value straight onto the evaluation stack.',
  lines: code`
      | Py_ssize_t _Py_dict_lookup_threadsafe_stackref(PyDictObject *mp,
      |         PyObject *key, Py_hash_t hash, _PyStackRef *out)
      | {
find  |     ix = lookup_without_lock(mp, key, hash, &value);
tag   |     if (_PyObject_HasDeferredRefcount(value)) {   // deferred (or immortal)
tag   |         *out = PyStackRef_FromPyObjectNew(value); //   a tagged reference:
tag   |         return ix;                                //   no count changes
      |     }
try   |     if (!_Py_TryIncrefCompare(&entry->me_value, value))
try   |         goto read_failed;        // retry inside Py_BEGIN_CRITICAL_SECTION(mp)
try   |     *out = PyStackRef_FromPyObjectSteal(value);
      |     return ix;
      | }`,
  ops: { 'load.deferred': 'find tag' },
}

const ENSURE_SHARED_ON_READ: SnippetEntry = {
  name: 'ensure_shared_on_read',
  file: 'Objects/dictobject.c',
  lang: 'c',
  summary: 'The first read of a dict by a thread that does not own it marks the dict shared, under its lock.',
  lines: code`
       | static inline void ensure_shared_on_read(PyDictObject *mp)
       | {
check  |     if (!_Py_IsOwnedByCurrentThread(mp) && !IS_DICT_SHARED(mp)) {
       |         // from now on a resize frees the old keys and values only
       |         // once lock-free readers are done with them (QSBR)
lock   |         Py_BEGIN_CRITICAL_SECTION(mp);
mark   |         if (!IS_DICT_SHARED(mp))
mark   |             SET_DICT_SHARED(mp);       // ob_gc_bits |= _PyGC_BITS_SHARED
unlock |         Py_END_CRITICAL_SECTION();
       |     }
       | }`,
  ops: { 'dict.mark-shared': 'mark' },
}

// ---------------------------------------------------------------------------------- critical sections and mutexes

const CS_GIL: Snippet = {
  name: 'Py_BEGIN_CRITICAL_SECTION',
  file: 'Include/cpython/critical_section.h',
  lang: 'c',
  summary: 'In a GIL build the critical-section macros open and close a block, nothing more.',
  note: GIL_NOTE,
  lines: code`
     | // Include/cpython/critical_section.h, without Py_GIL_DISABLED:
noop | #define Py_BEGIN_CRITICAL_SECTION(op)    {
noop | #define Py_END_CRITICAL_SECTION()        }
     |
     | // No lock at all: the GIL already lets only one thread run.
     | // (The free-threaded build locks the object's ob_mutex here.)`,
  ops: { 'cs.noop': 'noop', 'cs.end-noop': 'noop' },
}

const CS_BEGIN: SnippetEntry = {
  name: 'Py_BEGIN_CRITICAL_SECTION',
  file: 'Include/cpython/critical_section.h',
  lang: 'c',
  summary: "Locks one object's ob_mutex for the block that follows and pushes the section on the thread's stack.",
  lines: code`
     | #define Py_BEGIN_CRITICAL_SECTION(op) \
     |     { PyCriticalSection _cs; PyCriticalSection_Begin(&_cs, op)
     |
     | static inline void _PyCriticalSection_BeginMutex(PyCriticalSection *c, PyMutex *m)
     | {
fast |     if (PyMutex_LockFast(m)) {               // one CAS: unlocked → LOCKED
push |         c->_cs_mutex = m;
push |         c->_cs_prev = tstate->critical_section;
push |         tstate->critical_section = (uintptr_t)c;   // push on the stack
     |     }
     |     else
slow |         _PyCriticalSection_BeginSlow(c, m);  // held by someone, or by us
     | }`,
  ops: { 'cs.lock': 'fast push' },
  variants: { gil: CS_GIL },
}

const CS_END: SnippetEntry = {
  name: 'Py_END_CRITICAL_SECTION',
  file: 'Include/cpython/critical_section.h',
  lang: 'c',
  summary: "Unlocks the section's mutex, pops it, and resumes the section below if a block suspended it.",
  lines: code`
       | #define Py_END_CRITICAL_SECTION() \
     |     PyCriticalSection_End(&_cs); }
       |
       | static inline void _PyCriticalSection_End(PyCriticalSection *c)
       | {
noop   |     if (c->_cs_mutex == NULL)                  // a no-op section:
noop   |         return;                                //   nothing to unlock
unlock |     PyMutex_Unlock(c->_cs_mutex);              // a parked waiter gets it
pop    |     tstate->critical_section = c->_cs_prev;    // pop
resume |     if (c->_cs_prev & _Py_CRITICAL_SECTION_INACTIVE)
resume |         _PyCriticalSection_Resume(tstate);     // re-lock the one below
       | }`,
  ops: { 'cs.unlock': 'unlock pop', 'cs.end-noop': 'noop' },
  variants: { gil: { ...CS_GIL, name: 'Py_END_CRITICAL_SECTION' } },
}

const CS_BEGIN_SLOW: SnippetEntry = {
  name: '_PyCriticalSection_BeginSlow',
  file: 'Python/critical_section.c',
  lang: 'c',
  summary: "Begin's slow path: the mutex was not free. Either this thread's top-most section already holds it, or the thread must wait.",
  lines: code`
        | void _PyCriticalSection_BeginSlow(PyCriticalSection *c, PyMutex *m)
        | {
        |     PyCriticalSection *top = top_section(tstate);
reenter |     if (top != NULL && top_holds(top, m)) {  // the top-most section has m:
reenter |         c->_cs_mutex = NULL;                 //   a no-op section, and its
reenter |         return;                              //   End unlocks nothing
        |     }
        |     c->_cs_mutex = NULL;
push    |     c->_cs_prev = tstate->critical_section;
push    |     tstate->critical_section = (uintptr_t)c; // push first, then lock:
lock    |     PyMutex_Lock(m);           // may park, which detaches the thread
active  |     c->_cs_mutex = m;          // held: the section is active
        | }`,
  ops: { 'cs.reenter': 'reenter', 'cs.park': 'push lock', 'cs.active': 'active', 'cs.lock': 'lock active' },
}

const CS2_BEGIN_SLOW: SnippetEntry = {
  name: '_PyCriticalSection2_BeginSlow',
  file: 'Python/critical_section.c',
  lang: 'c',
  summary: 'A critical section on two objects: both mutexes, always the lower address first, so two threads never wait on each other in a cycle.',
  lines: code`
        | void _PyCriticalSection2_BeginSlow(PyCriticalSection2 *c,
        |                                    PyMutex *m1, PyMutex *m2)
        | {
order   |     // the caller swapped them if needed: m1 has the lower address
        |     c->_cs_base._cs_mutex = NULL;
        |     c->_cs_mutex2 = NULL;
        |     push_section(tstate, c);
lock1   |     PyMutex_Lock(m1);              // lower address first
lock2   |     PyMutex_Lock(m2);              // then the higher one
active  |     c->_cs_base._cs_mutex = m1;    // both held: active
active  |     c->_cs_mutex2 = m2;
        | }`,
  ops: { 'cs.lock': 'order lock1 lock2', 'cs.park': 'lock1 lock2' },
  refine: (s) => {
    if (s.op !== 'cs.lock') return undefined
    const write = threadWrites(s, 'sections').at(-1)
    const top = (write?.value as readonly { held: number }[] | undefined)?.at(-1)
    if (!top) return undefined
    return top.held >= 2 ? 'lock2 active' : 'order lock1'
  },
}

const CS_RESUME: SnippetEntry = {
  name: '_PyCriticalSection_Resume',
  file: 'Python/critical_section.c',
  lang: 'c',
  summary: 'On re-attaching, a thread re-locks only its top-most critical section; outer ones wait until the inner ones end.',
  lines: code`
       | void _PyCriticalSection_Resume(PyThreadState *tstate)
       | {
top    |     PyCriticalSection *c = top_section(tstate);   // only the top-most
none   |     if (c == NULL)
none   |         return;
lock   |     PyMutex_Lock(c->_cs_mutex);
lock   |     if (is_two_mutex_section(c))
lock   |         PyMutex_Lock(((PyCriticalSection2 *)c)->_cs_mutex2);
active |     tstate->critical_section &= ~_Py_CRITICAL_SECTION_INACTIVE;
       | }`,
  ops: { 'cs.resumed': 'top none', 'cs.lock': 'top lock active', 'cs.park': 'top lock' },
}

const DETACH: SnippetEntry = {
  name: '_PyThreadState_Detach',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'Called around blocking work (sleep, I/O, waiting for a lock or a queue): the thread stops running Python code.',
  lines: code`
        | void _PyThreadState_Detach(PyThreadState *tstate)
        | {
suspend |     if (tstate->critical_section != 0)
suspend |         _PyCriticalSection_SuspendAll(tstate);  // unlock every section
state   |     set_status(tstate, _Py_THREAD_DETACHED);    // a GC pause need not wait
state   |     clear_current_thread_state();
        | }`,
  ops: { sleep: 'suspend state', 'queue.wait': 'suspend state' },
  variants: {
    gil: {
      name: '_PyThreadState_Detach',
      file: 'Python/pystate.c',
      lang: 'c',
      summary: 'Called around blocking work: in a GIL build, detaching releases the GIL.',
      note: GIL_NOTE,
      lines: code`
      | void _PyThreadState_Detach(PyThreadState *tstate)
      | {
state |     set_status(tstate, _Py_THREAD_DETACHED);
gil   |     drop_gil(tstate);          // another thread may take the GIL now
      | }`,
      ops: { sleep: 'state gil', 'queue.wait': 'state gil' },
    },
  },
}

const ATTACH: SnippetEntry = {
  name: '_PyThreadState_Attach',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'Back from blocking work: the thread may run Python code again.',
  lines: code`
       | void _PyThreadState_Attach(PyThreadState *tstate)
       | {
wait   |     wait_while_the_world_is_stopped(tstate);
state  |     set_status(tstate, _Py_THREAD_ATTACHED);
resume |     if (tstate->critical_section != 0)
resume |         _PyCriticalSection_Resume(tstate);   // only the top-most section
       | }`,
  ops: { attach: 'wait state' },
  variants: {
    gil: {
      name: '_PyThreadState_Attach',
      file: 'Python/pystate.c',
      lang: 'c',
      summary: 'Back from blocking work: in a GIL build, attaching means taking the GIL again.',
      note: GIL_NOTE,
      lines: code`
      | void _PyThreadState_Attach(PyThreadState *tstate)
      | {
gil   |     take_gil(tstate);          // wait until the GIL is free
state |     set_status(tstate, _Py_THREAD_ATTACHED);
      | }`,
      ops: { attach: 'gil state' },
    },
  },
}

const MUTEX_LOCK: SnippetEntry = {
  name: 'PyMutex_Lock',
  file: 'Python/lock.c',
  lang: 'c',
  summary: 'A one-byte lock. The inline fast path (Include/cpython/lock.h) is one compare-and-swap; the slow path parks the thread.',
  lines: code`
     | void PyMutex_Lock(PyMutex *m)
     | {
fast |     uint8_t expected = 0;
fast |     if (atomic_cas_u8(&m->_bits, &expected, _Py_LOCKED))
fast |         return;                          // it was free: done
     |     // slow path, _PyMutex_LockTimed:
     |     spin_a_little_retrying_the_cas();    // (not modelled)
park |     m->_bits |= _Py_HAS_PARKED;          // LOCKED | HAS_PARKED
park |     _PyParkingLot_Park(m, detach = 1);   // sleep; detaching suspends
park |                                          // the thread's critical sections
     |     // woken by PyMutex_Unlock, which hands the lock over
     | }`,
  ops: { 'mutex.lock': 'fast', 'mutex.park': 'park' },
}

const MUTEX_UNLOCK: SnippetEntry = {
  name: 'PyMutex_Unlock',
  file: 'Python/lock.c',
  lang: 'c',
  summary: 'Releases the lock; if a thread is parked on it, that thread is woken and gets it.',
  lines: code`
        | void PyMutex_Unlock(PyMutex *m)
        | {
fast    |     uint8_t expected = _Py_LOCKED;
fast    |     if (atomic_cas_u8(&m->_bits, &expected, 0))
fast    |         return;                             // nobody parked: done
handoff |     // HAS_PARKED is set: _PyMutex_TryUnlock
handoff |     _PyParkingLot_Unpark(m, wake_first_waiter);
        | }`,
  ops: { 'mutex.unlock': 'fast' },
  refine: (s) => (s.op === 'mutex.unlock' && objectWrites(s, 'waiters').length > 0 ? 'handoff' : undefined),
}

// ---------------------------------------------------------------------------------- stop-the-world and the collector

const STOP_THE_WORLD: SnippetEntry = {
  name: '_PyEval_StopTheWorld',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'Before a free-threaded collection: bring every other thread to a safe point.',
  lines: code`
         | void _PyEval_StopTheWorld(PyInterpreterState *interp)
         | {
         |     lock(&interp->stoptheworld.mutex);
         |     for (each other thread t) {
detached |         if (t->state == _Py_THREAD_DETACHED)  // blocked already:
detached |             t->state = _Py_THREAD_SUSPENDED;  //   cannot re-attach now
attached |         else                                  // running: ask it to stop
attached |             set_eval_breaker_bit(t, _PY_EVAL_PLEASE_STOP_BIT);
         |     }
wait     |     wait_until_all_suspended(interp);   // each one detaches, which
wait     |                                         // suspends its sections
stopped  |     interp->stoptheworld.world_stopped = 1;
         | }`,
  ops: { 'gc.stop': 'detached attached', 'gc.stopped': 'wait stopped' },
}

const SUSPEND: SnippetEntry = {
  name: '_PyThreadState_Suspend',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'A running thread asked to stop for a collection reaches its eval breaker (a safe point) and pauses there.',
  lines: code`
        | void _PyThreadState_Suspend(PyThreadState *tstate)   // from the eval breaker
        | {
        |     // the thread is between bytecodes: a safe point
suspend |     if (tstate->critical_section != 0)
suspend |         _PyCriticalSection_SuspendAll(tstate);   // unlock every section
state   |     set_status(tstate, _Py_THREAD_SUSPENDED);    // paused until the restart
notify  |     if (--stw->thread_countdown == 0)            // the last one to stop
notify  |         wake(stw->requester);                    //   wakes the collector
        | }`,
  ops: { 'gc.safe-point': 'suspend state notify' },
}

const START_THE_WORLD: SnippetEntry = {
  name: '_PyEval_StartTheWorld',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'After the collection: let the suspended threads run again.',
  lines: code`
     | void _PyEval_StartTheWorld(PyInterpreterState *interp)
     | {
     |     interp->stoptheworld.world_stopped = 0;
wake |     for (each suspended thread t) {
wake |         t->state = _Py_THREAD_DETACHED;   // may attach again; on attach it
wake |         wake(t);                          // re-locks its top-most section
wake |     }
     |     unlock(&interp->stoptheworld.mutex);
     | }`,
  ops: { 'gc.restart': 'wake' },
  variants: {
    gil: {
      name: '_PyEval_StartTheWorld',
      file: 'Python/pystate.c',
      lang: 'c',
      summary: 'A no-op in a GIL build: the collector held the GIL, so nothing else was running.',
      note: GIL_NOTE,
      lines: code`
     | void _PyEval_StartTheWorld(PyInterpreterState *interp)
     | {
     | #ifdef Py_GIL_DISABLED
     |     start_the_world(&interp->stoptheworld);
     | #endif
done |     // GIL build: nothing was stopped, so nothing to restart
     | }`,
      ops: { 'gc.restart': 'done' },
    },
  },
}

const GC_COLLECT_MAIN_GIL: Snippet = {
  name: 'gc_collect_main',
  file: 'Python/gc.c',
  lang: 'c',
  summary: "The GIL build's collector: the caller holds the GIL, so there is no world to stop.",
  note: GIL_NOTE,
  lines: code`
      | static Py_ssize_t gc_collect_main(PyThreadState *tstate, int generation,
      |                                   _PyGC_Reason reason)
      | {
busy  |     if (gcstate->collecting) return 0;   // already collecting: return at once
      |     gcstate->collecting = 1;
start |     // we hold the GIL: no other thread can touch an object meanwhile
      |     deduce_unreachable(young, &unreachable);
      |     delete_garbage(tstate, gcstate, &unreachable, old);
end   |     gcstate->collecting = 0;
      | }`,
  ops: { 'gc.start': 'start', 'gc.busy': 'busy', 'gc.end': 'end' },
}

const GC_COLLECT_MAIN: SnippetEntry = {
  name: 'gc_collect_main',
  file: 'Python/gc_free_threading.c',
  lang: 'c',
  summary: 'A free-threaded collection: one at a time, inside a stop-the-world pause.',
  lines: code`
      | static Py_ssize_t gc_collect_main(PyThreadState *tstate, int generation,
      |                                   _PyGC_Reason reason)
      | {
busy  |     if (!atomic_cas_int(&gcstate->collecting, 0, 1))
busy  |         return 0;                     // another thread is collecting: return
start |     _PyEval_StopTheWorld(interp);     // every thread to a safe point
      |     gc_collect_internal(interp, &state, generation);  // merge, find, free
      |     _PyEval_StartTheWorld(interp);
      |     free_objects_merged_to_zero(&state);  // after the restart
end   |     atomic_store_int(&gcstate->collecting, 0);
      | }`,
  ops: { 'gc.start': 'start', 'gc.busy': 'busy', 'gc.end': 'end' },
  variants: { gil: GC_COLLECT_MAIN_GIL },
}

const MERGE_QUEUED: SnippetEntry = {
  name: 'merge_queued_objects',
  file: 'Python/gc_free_threading.c',
  lang: 'c',
  summary: "During the stop-the-world pause the collector merges every thread's queue itself: the owners never have to wake up.",
  lines: code`
      | static void merge_queued_objects(_PyThreadStateImpl *t,
      |                                  struct collection_state *state)
      | {
      |     PyObject *op;
pop   |     while ((op = pop(&t->brc.objects_to_merge)) != NULL) {
merge |         Py_ssize_t total = merge_refcount(op, -1);   // -1: the queue's ref
merge |         // ob_tid = 0, ob_ref_local = 0, shared = total, MERGED
later |         if (total == 0)
later |             push(&state->objs_to_decref, op);    // freed after the restart
      |     }
      | }`,
  ops: { 'gc.merge-queued': 'pop merge' },
}

const GC_RESTORE_TID: SnippetEntry = {
  name: 'gc_restore_tid',
  file: 'Python/gc_free_threading.c',
  lang: 'c',
  summary: "After marking, each tracked object gets its owner back from its heap page. An abandoned page has no owner, so the object is merged.",
  lines: code`
        | static void gc_restore_tid(PyObject *op)
        | {
        |     mi_segment_t *segment = _mi_ptr_segment(op);
merged  |     if (_Py_REF_IS_MERGED(op->ob_ref_shared))
merged  |         op->ob_tid = 0;                     // already unowned
        |     else {
owner   |         op->ob_tid = segment->thread_id;    // the page's owner
abandon |         if (op->ob_tid == 0)                // abandoned by an exited thread:
abandon |             merge_refcount(op, 0);          //   fold local in, MERGED
        |     }
        | }`,
  ops: { 'gc.merge-abandoned': 'owner abandon' },
}

const DEDUCE_UNREACHABLE: SnippetEntry = {
  name: 'deduce_unreachable_heap',
  file: 'Python/gc_free_threading.c',
  lang: 'c',
  summary: 'Finds garbage: objects whose every reference comes from other garbage.',
  lines: code`
      | static int deduce_unreachable_heap(PyInterpreterState *interp,
      |                                    struct collection_state *state)
      | {
refs  |     gc_visit_heaps(interp, &update_refs, state);
refs  |         // gc_refs = refcount minus the deferred bias (kept in ob_tid)
stack |     gc_visit_thread_stacks(interp, state);  // + deferred stack references
sub   |     gc_visit_heaps(interp, &visit_decref, state);
sub   |         // minus references held by other tracked objects
mark  |     gc_visit_heaps(interp, &mark_heap_visitor, state);
mark  |         // gc_refs > 0: referenced from outside, a root; mark what it reaches
scan  |     gc_visit_heaps(interp, &scan_heap_visitor, state);
scan  |         // not marked: unreachable, collected into state->unreachable
      | }`,
  ops: { 'gc.find': 'refs stack sub mark scan' },
  variants: {
    gil: {
      name: 'deduce_unreachable',
      file: 'Python/gc.c',
      lang: 'c',
      summary: "The GIL build's version of the same search (the engine names the step after the free-threaded deduce_unreachable_heap).",
      note: GIL_NOTE,
      lines: code`
     | static void deduce_unreachable(PyGC_Head *base, PyGC_Head *unreachable)
     | {
refs |     update_refs(base);          // gc_refs = ob_refcnt of each container
sub  |     subtract_refs(base);        // minus references from other containers
move |     move_unreachable(base, unreachable);  // left at 0 and not reached
     |                                           // from a root: garbage
     | }`,
      ops: { 'gc.find': 'refs sub move' },
    },
  },
}

const DELETE_GARBAGE: SnippetEntry = {
  name: 'delete_garbage',
  file: 'Python/gc_free_threading.c',
  lang: 'c',
  summary: 'Frees the unreachable objects: tp_clear drops their references, which lets the counts reach zero.',
  lines: code`
      | static void delete_garbage(struct collection_state *state)
      | {
      |     PyObject *op;
pop   |     while ((op = worklist_pop(&state->unreachable)) != NULL) {
clear |         inquiry clear = Py_TYPE(op)->tp_clear;
clear |         if (clear != NULL)
clear |             (void)clear(op);          // drop its references
free  |         Py_DECREF(op);                // the last one: _Py_Dealloc
      |     }
      | }`,
  ops: { 'gc.free': 'pop clear free' },
}

// ---------------------------------------------------------------------------------- the GIL, threads

const TAKE_GIL: SnippetEntry = {
  name: 'take_gil',
  file: 'Python/ceval_gil.c',
  lang: 'c',
  summary: 'A thread waits for the GIL and takes it: only the holder may run Python code.',
  note: GIL_NOTE,
  lines: code`
     | static void take_gil(PyThreadState *tstate)
     | {
     |     MUTEX_LOCK(gil->mutex);
wait |     while (gil->locked) {                       // another thread runs
wait |         SET_GIL_DROP_REQUEST(interp);           // ask it to let go
wait |         COND_TIMED_WAIT(gil->cond, gil->mutex, interval);
     |     }
take |     gil->locked = 1;                            // ours now
take |     gil->last_holder = tstate;
     |     MUTEX_UNLOCK(gil->mutex);
     | }`,
  ops: { 'gil.take': 'take' },
}

const DROP_GIL: SnippetEntry = {
  name: 'drop_gil',
  file: 'Python/ceval_gil.c',
  lang: 'c',
  summary: 'The holder gives the GIL up: at an eval-breaker check after the switch interval, or before blocking.',
  note: GIL_NOTE,
  lines: code`
       | static void drop_gil(PyInterpreterState *interp, PyThreadState *tstate)
       | {
       |     MUTEX_LOCK(gil->mutex);
drop   |     gil->locked = 0;
signal |     COND_SIGNAL(gil->cond);          // wake one waiting thread
       |     MUTEX_UNLOCK(gil->mutex);
       | }`,
  ops: { 'gil.drop': 'drop signal' },
}

const THREAD_RUN: SnippetEntry = {
  name: 'thread_run',
  file: 'Modules/_threadmodule.c',
  lang: 'c',
  summary: 'The first code a new thread runs: it binds its thread state, which fixes the id that ob_tid of its objects will hold.',
  lines: code`
       | static void thread_run(void *boot_raw)
       | {
       |     PyThreadState *tstate = boot->tstate;
bind   |     _PyThreadState_Bind(tstate);   // tid = _Py_ThreadId(), the TCB address
bind   |                                    // (reused after a thread exits)
attach |     _PyThreadState_Attach(tstate);
run    |     PyObject_Call(boot->func, boot->args, boot->kwargs);
exit   |     thread_exit(tstate);           // see PyThreadState_Clear
       | }`,
  ops: { 'thread.start': 'bind attach' },
}

const CLEAR_MIMALLOC_HEAPS: SnippetEntry = {
  name: '_PyThreadState_ClearMimallocHeaps',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: "Thread exit: the thread's heap pages are abandoned to a shared pool.",
  lines: code`
        | void _PyThreadState_ClearMimallocHeaps(PyThreadState *tstate)
        | {
        |     _PyThreadStateImpl *t = (_PyThreadStateImpl *)tstate;
abandon |     for (each mimalloc heap h of t)
abandon |         _mi_heap_collect_abandon(h);   // pages go to the shared pool;
abandon |                                        // live blocks stay where they are
keep    |     // no object is visited: those this thread owns keep its id
keep    |     // in ob_tid and their ob_ref_local
        | }`,
  ops: { exit: 'abandon keep' },
  variants: Object.fromEntries(
    (['gil', 'atomic', 'unsafe'] as const).map((mode) => [
      mode,
      {
        name: '_PyThreadState_ClearMimallocHeaps',
        file: 'Python/pystate.c',
        lang: 'c',
        summary: "Thread exit: the thread's heap pages are given back; no object records an owner in this mode.",
        note: mode === 'gil' ? GIL_NOTE : HYPOTHETICAL,
        lines: code`
        | void _PyThreadState_ClearMimallocHeaps(PyThreadState *tstate)
        | {
abandon |     // the model keeps per-thread heap pages in every mode;
abandon |     // they are abandoned to a shared pool when the thread exits
        | }`,
        ops: { exit: 'abandon' },
      } satisfies Snippet,
    ]),
  ),
}

const THREAD_STATE_CLEAR: SnippetEntry = {
  name: 'PyThreadState_Clear',
  file: 'Python/pystate.c',
  lang: 'c',
  summary: 'Thread exit: the thread state is torn down, its references released one by one.',
  lines: code`
      | void PyThreadState_Clear(PyThreadState *tstate)
      | {
drop  |     release_remaining_frame_references(tstate);  // one decref each
      |     ...
      |     _Py_brc_remove_thread(tstate);               // drain the merge queue
      |     _PyThreadState_ClearMimallocHeaps(tstate);   // abandon heap pages
      | }`,
  ops: { 'exit.drop': 'drop' },
}

const HANDLE_PENDING: SnippetEntry = {
  name: '_Py_HandlePending',
  file: 'Python/ceval_gil.c',
  lang: 'c',
  summary: "The eval breaker: between bytecodes a thread checks for requests from other threads. The model checks before every statement.",
  lines: code`
      | int _Py_HandlePending(PyThreadState *tstate)
      | {
      |     uintptr_t bits = atomic_load(&tstate->eval_breaker);
stop  |     if (bits & _PY_EVAL_PLEASE_STOP_BIT)    _PyThreadState_Suspend(tstate);
merge |     if (bits & _PY_EVAL_EXPLICIT_MERGE_BIT) _Py_brc_merge_refcounts(tstate);
gil   |     if (bits & _PY_GIL_DROP_REQUEST_BIT)    drop_gil_then_take_it_again(tstate);
      |     handle_signals_and_pending_calls(tstate);
none  |     return 0;                // here: nothing was pending, carry on
      | }`,
  ops: { pass: 'none' },
}

// ---------------------------------------------------------------------------------- the evaluation loop

const STORE_FAST: SnippetEntry = {
  name: 'STORE_FAST',
  file: 'Python/bytecodes.c',
  lang: 'c',
  summary: "The bytecode that binds a local variable: the value's reference moves from the stack into the variable.",
  lines: code`
      | inst(STORE_FAST, (value --)) {
      |     _PyStackRef old = GETLOCAL(oparg);
store |     GETLOCAL(oparg) = value;       // the stack's reference, moved: no count change
drop  |     PyStackRef_XCLOSE(old);        // the old value is released (next step)
      | }`,
  ops: { 'store.var': 'store' },
  refine: (s) => {
    if (s.op !== 'store.var') return undefined
    const write = threadWrites(s, 'vars').at(-1)
    const before = write?.old as readonly { name: string; deferred: boolean }[] | undefined
    const after = write?.value as readonly { name: string }[] | undefined
    const bound = after?.at(-1)?.name
    return bound && before?.some((v) => v.name === bound && !v.deferred) ? 'store drop' : undefined
  },
}

const FROM_PYOBJECT_NEW: SnippetEntry = {
  name: 'PyStackRef_FromPyObjectNew',
  file: 'Include/internal/pycore_stackref.h',
  lang: 'c',
  summary: 'Puts a reference on the evaluation stack. Deferred objects (and most immortals, which carry the DEFERRED bit too) get a tagged reference that was never counted.',
  lines: code`
       | static inline _PyStackRef PyStackRef_FromPyObjectNew(PyObject *obj)
       | {
tag    |     if (_PyObject_HasDeferredRefcount(obj))      // gc bit DEFERRED
tag    |         return (_PyStackRef){ .bits = (uintptr_t)obj | Py_TAG_DEFERRED };
       |                                    // tagged: no refcount traffic at all
incref |     return (_PyStackRef){ .bits = (uintptr_t)Py_NewRef(obj) };  // counted
       | }`,
  ops: { 'load.deferred': 'tag', 'load.immortal': 'tag' },
  variants: {
    gil: {
      name: 'PyStackRef_FromPyObjectNew',
      file: 'Include/internal/pycore_stackref.h',
      lang: 'c',
      summary: 'Puts a reference on the evaluation stack. An immortal object needs no count: the reference is tagged instead.',
      note: GIL_NOTE,
      lines: code`
       | static inline _PyStackRef PyStackRef_FromPyObjectNew(PyObject *obj)
       | {
tag    |     if (_Py_IsImmortal(obj))
tag    |         return tagged_reference(obj);   // immortal: no count needed
incref |     Py_INCREF(obj);
incref |     return (_PyStackRef){ .bits = (uintptr_t)obj };
       | }`,
      ops: { 'load.immortal': 'tag', 'load.deferred': 'tag' },
    },
  },
}

const STACKREF_CLOSE: SnippetEntry = {
  name: 'PyStackRef_CLOSE',
  file: 'Include/internal/pycore_stackref.h',
  lang: 'c',
  summary: 'Drops a stack reference. A tagged (deferred) reference was never counted, so there is nothing to undo.',
  lines: code`
       | static inline void PyStackRef_CLOSE(_PyStackRef ref)
       | {
tagged |     if (ref.bits & Py_TAG_DEFERRED)    // a tagged reference:
tagged |         return;                        //   nothing was counted
decref |     Py_DECREF(PyStackRef_AsPyObjectBorrow(ref));
       | }`,
  ops: { 'drop.deferred': 'tagged' },
}

const EVAL_FRAME: SnippetEntry = {
  name: '_PyEval_EvalFrameDefault',
  file: 'Python/ceval.c',
  lang: 'c',
  summary: 'The interpreter loop running LOAD_GLOBAL f and CALL: with a deferred function, neither the load nor the call touches its count.',
  lines: code`
      | // inside _PyEval_EvalFrameDefault: LOAD_GLOBAL f; ...; CALL
load  | _PyStackRef callable = PyStackRef_FromPyObjectNew(f);   // tagged
call  | PyObject *res = _PyFunction_Vectorcall(
call  |         PyStackRef_AsPyObjectBorrow(callable), args, nargs, NULL);
close | PyStackRef_CLOSE(callable);    // tagged: no decref either`,
  ops: { 'call.deferred': 'load call close' },
}

// ---------------------------------------------------------------------------------- allocation

const OBJECT_NEW: SnippetEntry = {
  name: '_PyObject_New',
  file: 'Objects/object.c',
  lang: 'c',
  summary: "Allocation on the creating thread's own heap (PyObject_GC_New for containers); new_reference makes the creator the owner.",
  lines: code`
      | PyObject *_PyObject_New(PyTypeObject *tp)
      | {
alloc |     PyObject *op = PyObject_Malloc(_PyObject_SIZE(tp));  // this thread's heap
      |     _PyObject_Init(op, tp);        // → _Py_NewReference → new_reference:
owner |     op->ob_tid = _Py_ThreadId();   // the creating thread owns it
count |     op->ob_ref_local = 1;          // its one reference, counted locally
count |     op->ob_ref_shared = 0;         // count 0, state _Py_REF_SHARED_INIT
      |     op->ob_flags = 0;  op->ob_mutex = (PyMutex){0};  op->ob_gc_bits = 0;
      |     return op;
      | }`,
  ops: { alloc: 'alloc owner count' },
  variants: Object.fromEntries(
    (['gil', 'atomic', 'unsafe'] as const).map((mode) => [
      mode,
      {
        name: '_PyObject_New',
        file: 'Objects/object.c',
        lang: 'c',
        summary: 'Allocation: one ob_refcnt field, shared by every thread.',
        note: mode === 'gil' ? GIL_NOTE : HYPOTHETICAL,
        lines: code`
      | PyObject *_PyObject_New(PyTypeObject *tp)
      | {
alloc |     PyObject *op = PyObject_Malloc(_PyObject_SIZE(tp));
      |     _PyObject_Init(op, tp);        // → _Py_NewReference:
count |     op->ob_refcnt = 1;             // no owner, one counter for everyone
      |     return op;
      | }`,
        ops: { alloc: 'alloc count' },
      } satisfies Snippet,
    ]),
  ),
}

const FUNCTION_NEW: SnippetEntry = {
  name: 'PyFunction_New',
  file: 'Objects/funcobject.c',
  lang: 'c',
  summary: 'Creating a function object (MAKE_FUNCTION). Functions that are not nested use deferred reference counting.',
  lines: code`
         | PyObject *PyFunction_New(PyObject *code, PyObject *globals)
         | {
alloc    |     PyFunctionObject *op = PyObject_GC_New(PyFunctionObject,
alloc    |                                            &PyFunction_Type);
         |     fill_in_code_globals_name_defaults(op, code, globals);
deferred |     if ((((PyCodeObject *)code)->co_flags & CO_NESTED) == 0)
deferred |         _PyObject_SetDeferredRefcount((PyObject *)op);
         |             // gc bit DEFERRED, ob_ref_shared += bias: loads and
         |             // calls take tagged, uncounted stack references
track    |     _PyObject_GC_TRACK(op);
         |     return (PyObject *)op;
         | }`,
  ops: { alloc: 'alloc deferred track' },
  variants: Object.fromEntries(
    (['gil', 'atomic', 'unsafe'] as const).map((mode) => [
      mode,
      {
        name: 'PyFunction_New',
        file: 'Objects/funcobject.c',
        lang: 'c',
        summary: 'Creating a function object: an ordinary counted object in this mode.',
        note: mode === 'gil' ? GIL_NOTE : HYPOTHETICAL,
        lines: code`
      | PyObject *PyFunction_New(PyObject *code, PyObject *globals)
      | {
alloc |     PyFunctionObject *op = PyObject_GC_New(PyFunctionObject,
alloc |                                            &PyFunction_Type);  // ob_refcnt = 1
      |     fill_in_code_globals_name_defaults(op, code, globals);
track |     _PyObject_GC_TRACK(op);
      |     return (PyObject *)op;
      | }`,
        ops: { alloc: 'alloc track' },
      } satisfies Snippet,
    ]),
  ),
}

// ---------------------------------------------------------------------------------- lists, dicts, queues

const LIST_APPEND: SnippetEntry = {
  name: 'list_append',
  file: 'Objects/listobject.c',
  lang: 'c',
  summary: "list.append (list_append_impl), which Argument Clinic wraps in the list's critical section.",
  lines: code`
       | static PyObject *list_append(PyListObject *self, PyObject *object)
       | {   // runs between Py_BEGIN/END_CRITICAL_SECTION(self)
append |     if (_PyList_AppendTakeRef(self, Py_NewRef(object)) < 0)  // ref taken
append |         return NULL;                                       // one step ago
       |     Py_RETURN_NONE;
       | }
       | // a resize by a thread that does not own the list: ensure_shared_on_resize
shared | //   sets _PyGC_BITS_SHARED, so old arrays are freed only via QSBR`,
  ops: { 'list.append': 'append' },
  refine: (s) => (s.op === 'list.append' && objectWrites(s, 'gcBits').length > 0 ? 'append shared' : undefined),
}

const LIST_ASS_ITEM: SnippetEntry = {
  name: 'list_ass_item',
  file: 'Objects/listobject.c',
  lang: 'c',
  summary: "a[i] = v, under the list's critical section.",
  lines: code`
      | static int list_ass_item(PyListObject *a, Py_ssize_t i, PyObject *v)
      | {   // with a's critical section held
store |     PyObject *old = a->ob_item[i];
store |     atomic_store_release(&a->ob_item[i], v);   // lock-free readers may look
drop  |     Py_DECREF(old);                            // released in the next step
      |     return 0;
      | }`,
  ops: { 'list.store': 'store drop' },
}

const LIST_ASS_SLICE: SnippetEntry = {
  name: 'list_ass_slice',
  file: 'Objects/listobject.c',
  lang: 'c',
  summary: "del a[i] is list_ass_slice(a, i, i + 1, NULL), under the list's critical section.",
  lines: code`
       | static int list_ass_slice(PyListObject *a, Py_ssize_t lo, Py_ssize_t hi,
       |                           PyObject *v)
       | {   // v == NULL: delete a[lo:hi]
remove |     PyObject *gone = a->ob_item[lo];
remove |     memmove(&a->ob_item[lo], &a->ob_item[hi], tail_size);
remove |     Py_SET_SIZE(a, Py_SIZE(a) - (hi - lo));
drop   |     Py_XDECREF(gone);                  // released in the next step
       |     return 0;
       | }`,
  ops: { 'list.delete': 'remove drop' },
}

const LIST_POP: SnippetEntry = {
  name: 'list_pop_impl',
  file: 'Objects/listobject.c',
  lang: 'c',
  summary: "list.pop(), under the list's critical section.",
  lines: code`
    | static PyObject *list_pop_impl(PyListObject *self, Py_ssize_t index)
    | {   // @critical_section: self's mutex is held
pop |     PyObject *v = self->ob_item[index];      // index -1: the last item
pop |     Py_SET_SIZE(self, Py_SIZE(self) - 1);
ret |     return v;          // the list's reference moves to the caller:
ret |                        // no count changes
    | }`,
  ops: { 'list.pop': 'pop ret' },
}

const LIST_CLEAR: SnippetEntry = {
  name: 'list_clear_impl',
  file: 'Objects/listobject.c',
  lang: 'c',
  summary: "list.clear(), under the list's critical section.",
  lines: code`
      | static PyObject *list_clear_impl(PyListObject *self)
      | {   // @critical_section
take  |     PyObject **items = self->ob_item;
take  |     Py_ssize_t n = Py_SIZE(self);
take  |     self->ob_item = NULL;  Py_SET_SIZE(self, 0);   // empty now
drop  |     while (--n >= 0)
drop  |         Py_XDECREF(items[n]);      // each item released (next steps)
      |     free_item_array(items);
      |     Py_RETURN_NONE;
      | }`,
  ops: { 'list.clear': 'take drop' },
}

const INSERTDICT: SnippetEntry = {
  name: 'insertdict',
  file: 'Objects/dictobject.c',
  lang: 'c',
  summary: "d[key] = value (and G.name = value for globals), with the dict's critical section held.",
  lines: code`
        | static int insertdict(PyDictObject *mp, PyObject *key, Py_hash_t hash,
        |                       PyObject *value)
        | {   // with mp's critical section held
find    |     Py_ssize_t ix = _Py_dict_lookup(mp, key, hash, &old_value);
new     |     if (ix == DKIX_EMPTY) {            // a new key: the dict takes a
new     |         insert_new_entry(mp, Py_NewRef(key), hash, value);  // key ref
new     |         return 0;     // a non-owner growing it: ensure_shared_on_resize
        |     }
replace |     STORE_VALUE(mp, ix, value);        // replace in place
replace |     Py_XDECREF(old_value);             // released in the next step
        |     return 0;
        | }`,
  ops: { 'dict.store': 'find new' },
  refine: (s) => {
    if (s.op !== 'dict.store') return undefined
    const write = objectWrites(s, 'slots').at(-1)
    const before = write?.old as readonly unknown[] | undefined
    const after = write?.value as readonly unknown[] | undefined
    if (!before || !after) return undefined
    return after.length > before.length ? 'find new' : 'find replace'
  },
}

const DELITEM_COMMON: SnippetEntry = {
  name: 'delitem_common',
  file: 'Objects/dictobject.c',
  lang: 'c',
  summary: "del d[key], with the dict's critical section held.",
  lines: code`
       | static int delitem_common(PyDictObject *mp, Py_hash_t hash, Py_ssize_t ix,
       |                           PyObject *old_value)
       | {   // with mp's critical section held
remove |     PyObject *old_key = entry_key(mp, ix);
remove |     mark_entry_deleted(mp, ix);         // a DUMMY slot
remove |     mp->ma_used--;
drop   |     Py_DECREF(old_key);                 // the key and the value are
drop   |     Py_DECREF(old_value);               // released in the next steps
       |     return 0;
       | }`,
  ops: { 'dict.delete': 'remove drop' },
}

const QUEUE_PUT: SnippetEntry = {
  name: 'Queue.put',
  file: 'Lib/queue.py',
  lang: 'python',
  summary: "queue.Queue.put, written in Python: the queue keeps the reference the caller took.",
  lines: code`
     | def put(self, item, block=True, timeout=None):
     |     with self.not_full:
put  |         self._put(item)            # the deque now holds the reference
     |         self.unfinished_tasks += 1
wake |         self.not_empty.notify()    # wake one waiting get()`,
  ops: { 'queue.put': 'put wake' },
}

const QUEUE_GET: SnippetEntry = {
  name: 'Queue.get',
  file: 'Lib/queue.py',
  lang: 'python',
  summary: 'queue.Queue.get, written in Python: the reference the queue held becomes the caller\u2019s.',
  lines: code`
     | def get(self, block=True, timeout=None):
     |     with self.not_empty:
wait |         while not self._qsize():
wait |             self.not_empty.wait()  # empty: block (the thread detaches)
get  |         item = self._get()         # the queue's reference is ours now
     |         self.not_full.notify()
get  |         return item`,
  ops: { 'queue.get': 'get' },
}

// ---------------------------------------------------------------------------------- the table

const ALL: readonly SnippetEntry[] = [
  PY_INCREF, PY_DECREF, DECREF_SHARED, MERGE_ZERO_LOCAL, BRC_QUEUE, EXPLICIT_MERGE, BRC_MERGE,
  BRC_REMOVE_THREAD, DEALLOC, TRY_INCREF_SHARED, TRY_INCREF_FAST, NEW_REF_WITH_LOCK,
  DICT_LOOKUP_STACKREF, ENSURE_SHARED_ON_READ, CS_BEGIN, CS_END, CS_BEGIN_SLOW, CS2_BEGIN_SLOW,
  CS_RESUME, DETACH, ATTACH, MUTEX_LOCK, MUTEX_UNLOCK, STOP_THE_WORLD, SUSPEND, START_THE_WORLD,
  GC_COLLECT_MAIN, MERGE_QUEUED, GC_RESTORE_TID, DEDUCE_UNREACHABLE, DELETE_GARBAGE, TAKE_GIL,
  DROP_GIL, THREAD_RUN, CLEAR_MIMALLOC_HEAPS, THREAD_STATE_CLEAR, HANDLE_PENDING, STORE_FAST,
  FROM_PYOBJECT_NEW, STACKREF_CLOSE, EVAL_FRAME, OBJECT_NEW, FUNCTION_NEW, LIST_APPEND,
  LIST_ASS_ITEM, LIST_ASS_SLICE, LIST_POP, LIST_CLEAR, INSERTDICT, DELITEM_COMMON, QUEUE_PUT,
  QUEUE_GET,
]

/** Every snippet, by the CPython name the engine reports (StepRecord.cpython). */
export const SNIPPETS: Readonly<Record<string, SnippetEntry>> = Object.fromEntries(ALL.map((s) => [s.name, s]))

export function sourceUrl(file: string): string {
  return CPYTHON_BLOB + file
}

// ---------------------------------------------------------------------------------- PEP 703 vs CPython 3.14

interface CalloutRule extends Callout {
  readonly applies: (step: StepLike) => boolean
}

const is = (cpython: string | readonly string[], ops: readonly string[]) => (s: StepLike) =>
  (typeof cpython === 'string' ? s.cpython === cpython : cpython.includes(s.cpython)) && ops.includes(s.op)

/** Free-threaded mode only: the other modes are not what PEP 703 describes. */
const CALLOUTS: readonly CalloutRule[] = [
  {
    id: 'queue-at-zero',
    pep: "an object is queued for its owner when a non-owner's decref makes the shared count negative.",
    cpython:
      'queues when the whole ob_ref_shared field is 0 or 1 (count 0) and does not subtract: the field becomes QUEUED with count 0, and the queue entry holds that reference until the owner merges it.',
    applies: (s) => is('_Py_DecRefShared', ['decref.queue'])(s) || is('_Py_brc_queue_object', ['brc.queue'])(s),
  },
  {
    id: 'negative-while-queued',
    pep: 'a negative shared count is what makes a non-owner queue the object.',
    cpython:
      'never lets the decref that queues go negative; the count goes below 0 only through later non-owner decrefs while the object is already QUEUED. That is fine: local + shared stays at least 0.',
    applies: (s) => is('_Py_DecRefShared', ['decref.shared'])(s) && objectWrites(s, 'shared').some((c) => (c.value as number) < 0),
  },
  {
    id: 'fast-free-keeps-tid',
    pep: "the owner clears ob_tid before it frees an object whose counts have reached zero.",
    cpython:
      "frees at once without touching ob_tid, and only when the entire ob_ref_shared is 0 (count 0, state 0). Otherwise, even with count 0 in MAYBE_WEAKREF, it takes the slow path: ob_tid = 0, MERGED, then free.",
    applies: is('_Py_MergeZeroLocalRefcount', ['decref.local', 'merge.zero']),
  },
  {
    id: 'immortal-local-max',
    pep: 'the two high bits of ob_ref_local mark immortal and deferred objects.',
    cpython:
      'treats an object as immortal exactly when ob_ref_local == UINT32_MAX (0xFFFFFFFF); ob_tid and ob_ref_shared are 0, and sys.getrefcount reports 3221225472.',
    applies: (s) => ['incref.immortal', 'decref.immortal', 'load.immortal'].includes(s.op),
  },
  {
    id: 'deferred-gc-bit',
    pep: 'deferred reference counting is flagged in ob_ref_local, like immortality.',
    cpython:
      "does not use ob_ref_local for it: a deferred object has gc bit _PyGC_BITS_DEFERRED (64) plus a bias of PY_SSIZE_T_MAX / 8 in ob_ref_shared, and stack references to it are tagged instead of counted. Only the collector frees it.",
    applies: (s) => ['load.deferred', 'call.deferred', 'drop.deferred'].includes(s.op) || is('PyFunction_New', ['alloc'])(s),
  },
  {
    id: 'maybe-weakref-on-read',
    pep: 'the "weakrefs" state of ob_ref_shared is set when a weak reference to the object is created.',
    cpython:
      'also sets _Py_REF_MAYBE_WEAKREF on the first non-owner read of a list item, dict value or global through the locked path, so that later readers may try-incref it without the lock. Most objects two threads touch end up in this state.',
    applies: (s) => is('_Py_NewRefWithLock', ['incref.shared'])(s) && objectWrites(s, 'state').some((c) => c.value === REF_STATE.weakref),
  },
  {
    id: 'cs-noop-reentry',
    pep: 'beginning a critical section locks the object\u2019s mutex (suspending the thread\u2019s other sections if it has to wait).',
    cpython:
      'adds a no-op re-entry: if the top-most section already holds that mutex, the new section locks nothing and its end unlocks nothing.',
    applies: (s) => s.op === 'cs.reenter' || is('Py_END_CRITICAL_SECTION', ['cs.end-noop'])(s),
  },
  {
    id: 'exit-does-not-merge',
    pep: "when an object's owner has exited, the thread that would have queued it merges it instead.",
    cpython:
      "does that too, but thread exit itself visits none of the thread's objects: they keep the dead thread's id in ob_tid and their local counts until such a decref, or a collection (GC-tracked objects only), merges them.",
    applies: (s) =>
      is('_PyThreadState_ClearMimallocHeaps', ['exit'])(s) || is('_Py_brc_remove_thread', ['exit.drain'])(s) || is('gc_restore_tid', ['gc.merge-abandoned'])(s),
  },
  {
    id: 'tid-reuse',
    pep: 'nothing about thread ids being reused.',
    cpython:
      "uses the thread's TCB address as ob_tid, and glibc hands a dead thread's TCB to the next new thread: that thread silently becomes the owner of every object the dead one still owns.",
    applies: (s) => s.op === 'thread.start' && s.changes.some((c) => c.target === 'world' && c.field === 'freeTidSlots'),
  },
  {
    id: 'thread-states',
    pep: 'threads pausing for a collection enter a dedicated "GC" state.',
    cpython:
      'has three states, ATTACHED, DETACHED and SUSPENDED: running threads are asked to suspend at their next eval-breaker check, and detached ones are marked SUSPENDED so that they cannot re-attach until the world restarts.',
    applies: is('_PyEval_StopTheWorld', ['gc.stop']),
  },
]

// ---------------------------------------------------------------------------------- resolving a step

export interface CodeView {
  /** The CPython name the engine reported. */
  readonly cpython: string
  /** False when no snippet exists for that name (a placeholder is shown). */
  readonly known: boolean
  readonly snippet: Snippet
  /** Link to the file in CPython 3.14, or null for an unknown function. */
  readonly url: string | null
  /** 0-based indices of the highlighted lines. */
  readonly active: readonly number[]
  /** True when the op has its own line mapping (false: the first line stands in). */
  readonly exact: boolean
  readonly callouts: readonly Callout[]
}

/** The snippet shown for a CPython name in a mode (the mode's variant when it has one). */
export function snippetFor(cpython: string, mode: Mode): Snippet | undefined {
  const entry = SNIPPETS[cpython]
  return entry?.variants?.[mode] ?? entry
}

/** The line keys a step executes in a snippet, or undefined when the op is not mapped. */
export function lineKeys(snippet: Snippet, step: StepLike): readonly string[] | undefined {
  const keys = snippet.refine?.(step) ?? snippet.ops[step.op]
  return keys ? keys.split(/\s+/) : undefined
}

export function calloutsFor(step: StepLike, mode: Mode): Callout[] {
  if (mode !== 'free-threaded') return []
  return CALLOUTS.filter((c) => c.applies(step)).map(({ id, pep, cpython }) => ({ id, pep, cpython }))
}

/** All callouts, for documentation and tests. */
export const ALL_CALLOUTS: readonly Callout[] = CALLOUTS.map(({ id, pep, cpython }) => ({ id, pep, cpython }))

export function codeView(step: StepLike, mode: Mode): CodeView {
  const snippet = snippetFor(step.cpython, mode)
  if (!snippet) {
    return {
      cpython: step.cpython,
      known: false,
      snippet: {
        name: step.cpython,
        file: '',
        lang: 'c',
        summary: 'No pseudo-C has been written for this function yet.',
        lines: [{ text: `// ${step.cpython}`, keys: [] }],
        ops: {},
      },
      url: null,
      active: [0],
      exact: false,
      callouts: calloutsFor(step, mode),
    }
  }
  const keys = lineKeys(snippet, step)
  let active: number[] = []
  if (keys) active = snippet.lines.flatMap((line, i) => (line.keys.some((k) => keys.includes(k)) ? [i] : []))
  const exact = active.length > 0
  if (!exact) {
    // An op without a mapping (a newer engine): point at the function's first line.
    active = [0]
  }
  return { cpython: step.cpython, known: true, snippet, url: sourceUrl(snippet.file), active, exact, callouts: calloutsFor(step, mode) }
}
