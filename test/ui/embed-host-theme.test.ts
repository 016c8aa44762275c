import { afterEach, describe, expect, it } from 'vitest'
import { hostTheme, observeHostTheme } from '../../src/embed/hostTheme'

afterEach(() => {
  document.documentElement.removeAttribute('data-theme')
  document.documentElement.className = ''
  document.body.removeAttribute('data-md-color-scheme')
})

describe('host theme', () => {
  it('reads MkDocs Material, data-theme and classes; nothing means null', () => {
    expect(hostTheme(document)).toBeNull()
    document.body.setAttribute('data-md-color-scheme', 'slate')
    expect(hostTheme(document)).toBe('dark')
    document.body.setAttribute('data-md-color-scheme', 'default')
    expect(hostTheme(document)).toBe('light')
    document.body.removeAttribute('data-md-color-scheme')
    document.documentElement.setAttribute('data-theme', 'dark')
    expect(hostTheme(document)).toBe('dark')
    document.documentElement.setAttribute('data-theme', 'auto')
    expect(hostTheme(document)).toBeNull()
    document.documentElement.className = 'navy sidebar-visible'
    expect(hostTheme(document)).toBe('dark')
    document.documentElement.className = 'light'
    expect(hostTheme(document)).toBe('light')
  })

  it('observes changes until stopped', async () => {
    let calls = 0
    const stop = observeHostTheme(document, () => calls++)
    document.documentElement.classList.add('dark')
    await new Promise((r) => setTimeout(r, 0))
    expect(calls).toBe(1)
    stop()
    document.documentElement.classList.remove('dark')
    await new Promise((r) => setTimeout(r, 0))
    expect(calls).toBe(1)
  })
})
