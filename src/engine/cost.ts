// The cost model: illustrative orders of magnitude in "model cycles", not a prediction of any
// machine. One place to change them (model.md, "Cost model").

export const COST = {
  /** A plain store to a field this thread's core already has (the owner's ob_ref_local). */
  plainWrite: 1,
  /** An atomic read-modify-write on a cache line this thread wrote last. */
  atomicLocal: 20,
  /** The extra paid when the line was last written by another thread (a cache-line transfer). */
  lineTransfer: 80,
  /** Taking an uncontended mutex (one compare-and-swap). */
  lockUncontended: 20,
  /** Parking a thread on a mutex and waking it up again. */
  parkAndWake: 2000,
  /** Handing the GIL to another thread. */
  gilHandoff: 5000,
} as const

/** Atomic RMW on a line another thread wrote last: atomicLocal + lineTransfer = 100. */
export const ATOMIC_REMOTE = COST.atomicLocal + COST.lineTransfer
