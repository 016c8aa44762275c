import { describe, expect, it } from 'vitest'
import { dedent, parseEmbedOptions, parseHeight } from '../../src/embed/options'
import { resolveEmbed, themeChoice } from '../../src/embed/resolve'
import { queued } from './fixtures/scenarios'

const from = (attrs: Record<string, string>) => (name: string) => attrs[name] ?? null

describe('embed options', () => {
  it('reads every attribute', () => {
    const { options, problems } = parseEmbedOptions(
      from({
        story: ' 03-queued-then-merged ',
        step: '12',
        mode: 'gil',
        compare: 'free-threaded',
        autoplay: '',
        speed: '4x',
        controls: 'minimal',
        panels: 'code, results',
        theme: 'dark',
        height: '600',
        heading: '  Queued   then merged ',
        label: 'Demo',
      }),
    )
    expect(problems).toEqual([])
    expect(options).toMatchObject({
      story: '03-queued-then-merged',
      step: 12,
      mode: 'gil',
      compare: 'free-threaded',
      autoplay: true,
      speed: 4,
      controls: 'minimal',
      panels: ['code', 'results'],
      theme: 'dark',
      height: '600px',
      heading: 'Queued then merged',
      label: 'Demo',
    })
  })

  it('turns every bad value into a sentence and a default, never a throw', () => {
    const { options, problems } = parseEmbedOptions(
      from({ story: 'x', step: '-3', mode: 'turbo', compare: '<b>', autoplay: 'maybe', speed: '99', controls: 'some', panels: 'code,nope', theme: 'pink', height: '100px; background: url(https://evil.example/x.png)' }),
    )
    expect(options).toMatchObject({ step: 0, mode: null, compare: null, autoplay: false, speed: 16, controls: 'all', panels: ['code'], theme: 'auto', height: null })
    expect(problems.map((p) => p.key).sort()).toEqual(['autoplay', 'compare', 'controls', 'height', 'mode', 'panels', 'speed', 'step', 'theme'])
    expect(problems.every((p) => p.tone === 'warning')).toBe(true)
    // User text is quoted as text and cut short.
    expect(problems.find((p) => p.key === 'compare')!.message).toContain('“<b>”')
    expect(problems.find((p) => p.key === 'height')!.message).toContain('…')
  })

  it('needs a story or a scenario', () => {
    const { problems } = parseEmbedOptions(from({}))
    expect(problems).toEqual([expect.objectContaining({ key: 'story', tone: 'error' })])
    expect(parseEmbedOptions(from({}), 'main: x = list()\n').problems).toEqual([])
  })

  it('prefers an inline scenario, dedented, and says so when a story is given too', () => {
    const { options, problems } = parseEmbedOptions(from({ story: 'a' }), '\n      main: x = list()\n        # indented\n      main: del x\n    ')
    expect(options.scenarioText).toBe('main: x = list()\n  # indented\nmain: del x\n')
    expect(problems[0]!.message).toContain('inline scenario')
  })

  it('accepts only plain CSS lengths for height', () => {
    expect(parseHeight('600')).toBe('600px')
    expect(parseHeight('40em')).toBe('40em')
    expect(parseHeight('80VH')).toBe('80vh')
    for (const bad of ['', '0', 'calc(1px)', '10px;color:red', 'expression(1)', '-5px']) expect(parseHeight(bad)).toBeNull()
  })

  it('dedent keeps relative indentation', () => {
    expect(dedent('  a\n    b\n')).toBe('a\n  b\n')
  })

  it('resolves a story against the list, with the known ids in the message', () => {
    const list = [{ id: 'queued', file: 'queued.scenario', text: queued.text }]
    expect(resolveEmbed(from({ story: 'queued' }), null, list).source?.id).toBe('queued')
    const missing = resolveEmbed(from({ story: 'nope' }), null, list)
    expect(missing.source).toBeNull()
    expect(missing.problems[0]!.message).toContain('The built-in scenarios are: queued.')
    expect(resolveEmbed(from({}), 'main: x = list()\n', list).source?.id).toBe('inline')
  })

  it('theme auto follows the host, else the system', () => {
    expect(themeChoice('auto', 'dark')).toBe('dark')
    expect(themeChoice('auto', null)).toBe('system')
    expect(themeChoice('contrast', 'dark')).toBe('contrast')
  })
})
