import { parseScenario, runScenario } from '../src/engine/index.ts'
import { generate } from './bench.ts'
const sc = (parseScenario(generate(1, 12000), 'b') as unknown as { scenario: Parameters<typeof runScenario>[0] }).scenario
const N = Number(process.env.N ?? 10)
const times: number[] = []
for (let i = 0; i < N; i++) { const t = performance.now(); runScenario(sc); times.push(performance.now() - t) }
const st = times.slice(2).sort((a, b) => a - b)
console.log('min', st[0]!.toFixed(1), 'med', st[Math.floor(st.length / 2)]!.toFixed(1))
