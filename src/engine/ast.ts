// The parsed form of a scenario (the contract: ../shared/spec/scenario-language.md, and our own
// docs/scenario-language.md). Everything is resolved at parse time: threads and objects are
// indices, labels are fixed, so running a scenario never needs the source text.

import type { Mode, ObjectType } from './types'

export interface Diagnostic {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

/** An object the scenario can create or mention. Index 0 is always the module globals `G`. */
export interface ObjectDecl {
  readonly id: number
  readonly label: string
  readonly type: ObjectType
  /** Preexisting immortal (None, True, False, small int, interned string). */
  readonly immortal: boolean
  /** What the literal looks like in Python, e.g. `None`, `5`, `"abc"`, `1000`. */
  readonly literal?: string
  readonly line: number
}

/** Where a value comes from. */
export type Expr =
  | { readonly k: 'new'; readonly obj: number }
  | { readonly k: 'immortal'; readonly obj: number }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'global'; readonly name: string }
  | { readonly k: 'item'; readonly container: string; readonly key: Key }
  | { readonly k: 'pop'; readonly container: string }
  | { readonly k: 'get'; readonly container: string }

/** A list index (number) or a dict key (string literal, or a variable holding the key object). */
export type Key =
  | { readonly k: 'int'; readonly value: number }
  | { readonly k: 'str'; readonly value: string }
  | { readonly k: 'var'; readonly name: string }

export type Target =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'global'; readonly name: string }
  | { readonly k: 'item'; readonly container: string; readonly key: Key }

/** A value passed to a method: a variable or an immortal literal. */
export type Arg = { readonly k: 'var'; readonly name: string } | { readonly k: 'immortal'; readonly obj: number }

/** An object named as a lock target: a variable or `G`. */
export type LockArg = { readonly k: 'var'; readonly name: string } | { readonly k: 'G' }

export type StatementBody =
  | { readonly k: 'assign'; readonly target: Target; readonly expr: Expr }
  | { readonly k: 'del'; readonly target: Target }
  | { readonly k: 'append'; readonly list: string; readonly arg: Arg }
  | { readonly k: 'clear'; readonly list: string }
  | { readonly k: 'put'; readonly queue: string; readonly arg: Arg }
  | { readonly k: 'call'; readonly fn: { readonly k: 'var' | 'global'; readonly name: string } }
  | { readonly k: 'incref' | 'decref'; readonly name: string }
  | { readonly k: 'cs-begin'; readonly objs: readonly LockArg[] }
  | { readonly k: 'cs-end'; readonly two: boolean }
  | { readonly k: 'lock' | 'unlock'; readonly obj: LockArg }
  | { readonly k: 'sleep' | 'gc' | 'pass' | 'exit' }

export type Statement = StatementBody & {
  readonly index: number
  readonly thread: number
  readonly line: number
  readonly column: number
  /** The statement text as written, without the thread prefix and comment. */
  readonly text: string
}

export type ScheduleSpec =
  | { readonly k: 'default' }
  | { readonly k: 'round-robin' }
  | { readonly k: 'random'; readonly seed: number }
  | { readonly k: 'explicit'; readonly threads: readonly number[]; readonly line: number }

export type ExpectValue = number | string | boolean

export interface ExpectField {
  readonly name: string
  readonly value: ExpectValue
  readonly column: number
}

export interface Expectation {
  readonly line: number
  readonly column: number
  readonly text: string
  readonly kind: 'object' | 'thread' | 'deadlock'
  /** Object id or thread index (unused for deadlock). */
  readonly target: number
  readonly fields: readonly ExpectField[]
}

export interface Scenario {
  readonly file: string
  readonly source: string
  readonly title: string
  readonly mode: Mode
  readonly threads: readonly string[]
  readonly switchInterval: number
  readonly schedule: ScheduleSpec
  readonly objects: readonly ObjectDecl[]
  readonly statements: readonly Statement[]
  /** Statement indices of each thread's program, in file order. */
  readonly programs: readonly (readonly number[])[]
  readonly expectations: readonly Expectation[]
}

export type ParseResult =
  | { readonly ok: true; readonly scenario: Scenario; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] }
