// Generates random valid scenarios for the property tests and the explorer tests (see the
// comment at the top of properties.test.ts for what "valid under any schedule" means here).

import fc from 'fast-check'

// ------------------------------------------------------------------------------------ generator

/** One generated action. `op` picks the statement kind, `a` and `b` pick operands. */
interface Cmd {
  readonly op: number
  readonly a: number
  readonly b: number
}

interface Shape {
  /** Threads besides main: 1..3 (2–4 threads in all). */
  readonly workers: number
  readonly objKeys: number
  readonly listKeys: number
  readonly prefill: number
  readonly cycles: boolean
  readonly main: readonly Cmd[]
  readonly bodies: readonly (readonly Cmd[])[]
  /** Picks which thread's next line goes into the file next (the default schedule follows it). */
  readonly order: readonly number[]
}

type Kind = 'obj' | 'list' | 'any'
interface VarInfo {
  kind: Kind
  /** For lists: the list key it was read from (pops are budgeted per key), or -1. */
  key: number
  /** For lists this thread created: the local list's id, or -1. */
  list: number
}

/** State shared by all threads while generating: local lists and pop budgets. */
class World {
  /** Length of each local list while unpublished. */
  readonly listLength: number[] = []
  /** The list key a local list was published under, or -1. */
  readonly listKey: number[] = []
  readonly budget: number[]
  constructor(readonly shape: Shape) {
    this.budget = Array.from({ length: shape.listKeys }, () => shape.prefill)
  }
}

const OPS = ['load', 'load', 'load', 'del', 'del', 'del', 'copy', 'copy', 'append', 'append', 'append', 'pop', 'pop', 'pop', 'cs1', 'cs1', 'cs2', 'csEnd', 'csEnd', 'sleep', 'pass', 'gc', 'create', 'create', 'store'] as const
type OpName = (typeof OPS)[number]
const MAX_DEPTH = 3

class ThreadGen {
  readonly lines: string[] = []
  private readonly vars = new Map<string, VarInfo>()
  private readonly pins = new Map<string, number>()
  private readonly sections: string[][] = []
  private readonly stored = new Set<string>()
  private next = 0

  constructor(
    readonly name: string,
    private readonly w: World,
    private readonly prefix: string,
  ) {}

  private emit(s: string) {
    this.lines.push(s)
  }
  private fresh(): string {
    return `${this.prefix}${this.next++}`
  }
  private names(filter: (v: VarInfo, name: string) => boolean): string[] {
    return [...this.vars.entries()].filter(([n, v]) => filter(v, n)).map(([n]) => n)
  }
  private pick(list: readonly string[], a: number): string | undefined {
    return list.length ? list[a % list.length] : undefined
  }
  private unpinned(): string[] {
    return this.names((_, n) => !this.pins.get(n))
  }
  /** A target for an assignment: a fresh name, or (b % 3 == 0) an unpinned bound one. */
  private target(b: number): string {
    const reuse = this.unpinned()
    return b % 3 === 0 && reuse.length ? reuse[(b >> 2) % reuse.length]! : this.fresh()
  }
  private keyName(k: number): string {
    const { objKeys } = this.w.shape
    return k < objKeys ? `o${k}` : `l${k - objKeys}`
  }
  private bind(name: string, info: VarInfo) {
    this.vars.set(name, info)
  }
  /** Whether a list variable can be popped now; consumes budget when it is a shared list. */
  private takePop(v: VarInfo): boolean {
    if (v.list >= 0 && this.w.listKey[v.list]! < 0) {
      if (this.w.listLength[v.list]! <= 0) return false
      this.w.listLength[v.list]!--
      return true
    }
    const key = v.list >= 0 ? this.w.listKey[v.list]! : v.key
    if (key < 0 || this.w.budget[key]! <= 0) return false
    this.w.budget[key]!--
    return true
  }
  private appendable(v: VarInfo): boolean {
    return this.w.shape.cycles || v.kind === 'obj'
  }

  /** Main's setup: creates and publishes every key. */
  setup() {
    const { objKeys, listKeys, prefill } = this.w.shape
    for (let k = 0; k < objKeys; k++) {
      this.emit(`G.o${k} = object()`)
      this.stored.add(`o${k}`)
    }
    for (let k = 0; k < listKeys; k++) {
      this.emit(`s${k} = list()`)
      for (let i = 0; i < prefill; i++) {
        this.emit(`e = object()`)
        this.emit(`s${k}.append(e)`)
      }
      this.emit('del e')
      this.emit(`G.l${k} = s${k}`)
      this.emit(`del s${k}`)
      this.stored.add(`l${k}`)
    }
  }

  run(cmds: readonly Cmd[]) {
    for (const c of cmds) {
      const first = OPS[c.op % OPS.length]!
      if (!this.tryOp(first, c.a, c.b)) this.tryOp('create', c.a, c.b)
    }
  }

  /** Ends every open section, then writes `final` (`exit` for workers). */
  finish(final: string[]) {
    while (this.sections.length) this.tryOp('csEnd', 0, 0)
    for (const s of final) this.emit(s)
  }

  /** Deletes every variable (main does before its final collection, so only G keeps objects alive). */
  dropAll() {
    for (const v of [...this.vars.keys()]) this.emit(`del ${v}`)
    this.vars.clear()
  }

  /** Binds a list: loaded from a list key (stored first if needed) or created here. */
  private getList(a: number, b: number): boolean {
    const { objKeys, listKeys } = this.w.shape
    if (!listKeys || a % 3 === 0) return this.tryOp('create', 3, b)
    const k = objKeys + (a % listKeys)
    const key = this.keyName(k)
    if (!this.stored.has(key)) return this.tryOp('store', k, b)
    const t = this.target(b)
    this.emit(`${t} = G.${key}`)
    this.bind(t, { kind: 'list', key: k - objKeys, list: -1 })
    return true
  }

  private tryOp(op: OpName, a: number, b: number): boolean {
    const { objKeys, listKeys, prefill } = this.w.shape
    switch (op) {
      case 'load': {
        const keys = [...this.stored]
        if (!keys.length) return this.tryOp('store', a, b)
        const key = keys[a % keys.length]!
        const t = this.target(b)
        this.emit(`${t} = G.${key}`)
        this.bind(t, key.startsWith('o') ? { kind: 'obj', key: -1, list: -1 } : { kind: 'list', key: Number(key.slice(1)), list: -1 })
        return true
      }
      case 'del': {
        const v = this.pick(this.unpinned(), a)
        if (!v) return false
        this.emit(`del ${v}`)
        this.vars.delete(v)
        return true
      }
      case 'copy': {
        const src = this.pick([...this.vars.keys()], a)
        if (!src) return false
        const info = this.vars.get(src)!
        const t = this.target(b)
        this.emit(`${t} = ${src}`)
        this.bind(t, { ...info })
        return true
      }
      case 'append': {
        const l = this.pick(this.names((v) => v.kind === 'list'), a)
        if (!l) return this.getList(a, b)
        const values = this.names((v) => this.appendable(v))
        const value = values.length && b % 5 !== 0 ? values[b % values.length]! : 'None'
        this.emit(`${l}.append(${value})`)
        const info = this.vars.get(l)!
        if (info.list >= 0 && this.w.listKey[info.list]! < 0) this.w.listLength[info.list]!++
        return true
      }
      case 'pop': {
        const lists = this.names((v) => v.kind === 'list')
        for (let i = 0; i < lists.length; i++) {
          const l = lists[(a + i) % lists.length]!
          if (!this.takePop(this.vars.get(l)!)) continue
          // The target may be the list variable itself (if unpinned): `l = l.pop()` is valid.
          const t = this.target(b)
          this.emit(`${t} = ${l}.pop()`)
          this.bind(t, { kind: this.w.shape.cycles ? 'any' : 'obj', key: -1, list: -1 })
          return true
        }
        // Nothing to pop from: get a list (to pop from later) or fill one.
        return lists.length && b % 2 ? this.tryOp('append', a, b) : this.getList(a, b)
      }
      case 'cs1':
      case 'cs2': {
        if (this.sections.length >= MAX_DEPTH) return false
        const all = [...this.vars.keys()]
        const x = this.pick(all, a)
        if (!x) return false
        const objs = op === 'cs1' ? [x] : [x, all[b % all.length]!]
        this.emit(op === 'cs1' ? `Py_BEGIN_CRITICAL_SECTION(${x})` : `Py_BEGIN_CRITICAL_SECTION2(${objs[0]}, ${objs[1]})`)
        // A section does not own a reference: keep its objects' variables bound until it ends.
        for (const o of objs) this.pins.set(o, (this.pins.get(o) ?? 0) + 1)
        this.sections.push(objs)
        return true
      }
      case 'csEnd': {
        const objs = this.sections.pop()
        if (!objs) return false
        this.emit(objs.length === 1 ? 'Py_END_CRITICAL_SECTION()' : 'Py_END_CRITICAL_SECTION2()')
        for (const o of objs) this.pins.set(o, this.pins.get(o)! - 1)
        return true
      }
      case 'sleep':
        this.emit('sleep()')
        return true
      case 'pass':
        this.emit('pass')
        return true
      case 'gc':
        this.emit('gc.collect()')
        return true
      case 'create': {
        const t = this.target(b)
        const what = a % 5
        if (what === 4) {
          this.emit(`${t} = None`)
          this.bind(t, { kind: 'obj', key: -1, list: -1 })
        } else if (what === 3) {
          this.emit(`${t} = list()`)
          this.w.listLength.push(0)
          this.w.listKey.push(-1)
          this.bind(t, { kind: 'list', key: -1, list: this.w.listLength.length - 1 })
        } else {
          this.emit(`${t} = object()`)
          this.bind(t, { kind: 'obj', key: -1, list: -1 })
        }
        return true
      }
      case 'store': {
        const k = a % (objKeys + listKeys)
        const key = this.keyName(k)
        if (k < objKeys) {
          const values = this.names((v) => v.kind === 'obj' || v.kind === 'any')
          if (values.length && b % 4 !== 0) this.emit(`G.${key} = ${values[b % values.length]}`)
          else this.emit(`G.${key} = object()`)
        } else {
          const lk = k - objKeys
          // A list stored under G.lK must hold PREFILL items: a list read from G.lK, or a local
          // unpublished list that is long enough (built here if there is none).
          let list = this.pick(
            this.names((v) => v.kind === 'list' && (v.list >= 0 ? this.w.listKey[v.list] === lk || (this.w.listKey[v.list]! < 0 && this.w.listLength[v.list]! >= prefill) : v.key === lk)),
            b,
          )
          if (!list) {
            list = this.fresh()
            this.emit(`${list} = list()`)
            this.w.listLength.push(0)
            this.w.listKey.push(-1)
            this.bind(list, { kind: 'list', key: -1, list: this.w.listLength.length - 1 })
            const values = this.names((v) => v.kind === 'obj')
            for (let i = 0; i < prefill; i++) this.emit(`${list}.append(${values.length ? values[(b + i) % values.length] : 'None'})`)
          }
          const info = this.vars.get(list)!
          if (info.list >= 0) this.w.listKey[info.list] = lk
          this.emit(`G.${key} = ${list}`)
        }
        this.stored.add(key)
        return true
      }
    }
  }
}

export interface Program {
  readonly text: string
  readonly shape: Shape
  readonly threads: readonly string[]
}

export function buildProgram(shape: Shape): Program {
  const w = new World(shape)
  const names = ['main', ...Array.from({ length: shape.workers }, (_, i) => `T${i + 1}`)]
  const main = new ThreadGen('main', w, 'm')
  main.setup()
  const setupLines = main.lines.length
  main.run(shape.main)
  main.finish([])
  main.dropAll()
  const gens = [main]
  for (let i = 0; i < shape.workers; i++) {
    const g = new ThreadGen(names[i + 1]!, w, 'v')
    g.run(shape.bodies[i] ?? [])
    g.finish(['exit'])
    gens.push(g)
  }
  const out: string[] = [`title: generated`, `threads: ${names.join(', ')}`]
  for (let i = 0; i < setupLines; i++) out.push(`main: ${main.lines[i]}`)
  // Interleave the rest line by line, each thread in its own order; main's last words come last.
  const pos = gens.map((g, i) => (i === 0 ? setupLines : 0))
  let turn = 0
  for (;;) {
    const left = gens.map((g, i) => i).filter((i) => pos[i]! < gens[i]!.lines.length)
    if (!left.length) break
    const choice = shape.order[turn] ?? turn
    turn++
    const t = left[choice % left.length]!
    out.push(`${gens[t]!.name}: ${gens[t]!.lines[pos[t]!]}`)
    pos[t]!++
  }
  out.push('main: gc.collect()', 'main: exit')
  return { text: out.join('\n') + '\n', shape, threads: names }
}

const cmdArb: fc.Arbitrary<Cmd> = fc.record({ op: fc.nat({ max: 999 }), a: fc.nat({ max: 999 }), b: fc.nat({ max: 999 }) })

/** Small `maxWorkers` and `maxMainCmds` keep the state space small enough to explore exhaustively. */
export const programArb = (maxCmds = 36, { maxWorkers = 3, maxMainCmds = 8 } = {}): fc.Arbitrary<Program> =>
  fc
    .record({
      workers: fc.integer({ min: 1, max: maxWorkers }),
      objKeys: fc.integer({ min: 1, max: 3 }),
      listKeys: fc.integer({ min: 0, max: 2 }),
      prefill: fc.integer({ min: 1, max: 5 }),
      cycles: fc.boolean(),
      main: fc.array(cmdArb, { maxLength: maxMainCmds }),
      bodies: fc.array(fc.array(cmdArb, { minLength: 1, maxLength: maxCmds, size: 'max' }), { minLength: 3, maxLength: 3 }),
      order: fc.array(fc.nat({ max: 99 }), { maxLength: 160, size: 'max' }),
    })
    .map((shape) => {
      const p = buildProgram(shape)
      // fast-check prints counterexamples with this: the scenario text itself.
      return Object.assign(p, { [fc.toStringMethod]: () => `\n----- scenario -----\n${p.text}--------------------` })
    })
