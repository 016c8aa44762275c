import { render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { TAG_NAME } from '../../src/embed/element'
import { EmbedView } from '../../src/embed/EmbedView'
import { resolveEmbed, storeOptions } from '../../src/embed/resolve'
import { createExplorerStore } from '../../src/store/explorerStore'
import { Player } from '../../src/ui/player/Player'
import { queued } from './fixtures/scenarios'

const list = [{ id: 'queued', file: 'queued.scenario', text: queued.text }]
const from = (attrs: Record<string, string>) => (name: string) => attrs[name] ?? null

function view(attrs: Record<string, string>, inline: string | null = null) {
  const resolved = resolveEmbed(from(attrs), inline, list)
  const store = createExplorerStore(storeOptions(resolved, null))
  return { store, ...render(<EmbedView store={store} resolved={resolved} />) }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('EmbedView', () => {
  it('shows the player with the controls and panels asked for', () => {
    view({ story: 'queued', step: '3', controls: 'minimal', panels: 'code' })
    const player = screen.getByTestId('player')
    expect(player).toHaveAttribute('data-step', '3')
    expect(within(player).queryByRole('group', { name: 'Mode' })).toBeNull()
    expect(within(player).getByRole('button', { name: 'Step forward' })).toBeInTheDocument()
    expect(within(player).getByTestId('code-panel')).toBeInTheDocument()
    expect(player.querySelector('.pep-counters-area')).toBeNull()
    expect(player.querySelector('.pep-bottom')).toBeNull()
  })

  it('controls="none" shows the picture alone', () => {
    view({ story: 'queued', controls: 'none', panels: 'none' })
    const player = screen.getByTestId('player')
    expect(player.querySelector('.pep-controls')).toBeNull()
    expect(player.querySelector('.pep-side')).toBeNull()
    expect(within(player).getByTestId('scene')).toBeInTheDocument()
  })

  it('explains an unknown story and draws no player; user text stays text', () => {
    view({ story: '<img src=x onerror=alert(1)>' })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('No built-in scenario is named “<img src=x onerror=alert(1)>”')
    expect(alert.querySelector('img')).toBeNull()
    expect(screen.queryByTestId('player')).toBeNull()
  })

  it('shows a parse error of an inline scenario with its line', () => {
    view({}, 'main: x = list(\n')
    expect(screen.getByRole('alert')).toHaveTextContent(/inline\.scenario:1:\d+/)
  })

  it('says when the step is past the end, and a fixed height scrolls', () => {
    const { container } = view({ story: 'queued', step: '9999', height: '30em' })
    expect(screen.getByTestId('embed-problems')).toHaveTextContent('past the end')
    const frame = container.querySelector('.pep703-embed') as HTMLElement
    expect(frame.style.height).toBe('30em')
    expect(frame).toHaveAttribute('data-fixed-height', 'true')
  })

  it('Player keeps its default layout without the new props', () => {
    const store = createExplorerStore({ source: queued })
    render(<Player store={store} />)
    const player = screen.getByTestId('player')
    expect(player.querySelector('.pep-settings')).not.toBeNull()
    expect(player.querySelector('.pep-counters-area')).not.toBeNull()
    expect(player.querySelector('.pep-bottom')).not.toBeNull()
  })
})

describe('<pep703-explorer> in a DOM', () => {
  it('is defined on import, renders into an open shadow root, and cleans up when removed', async () => {
    expect(customElements.get(TAG_NAME)).toBeDefined()
    const el = document.createElement(TAG_NAME)
    el.setAttribute('story', '01-owner-fast-path')
    el.setAttribute('step', '2')
    document.body.append(el)
    const shadow = el.shadowRoot!
    expect(shadow).not.toBeNull()
    await waitFor(() => expect(shadow.querySelector('[data-testid="player"]')).not.toBeNull(), { timeout: 5000 })
    expect(shadow.querySelector('[data-testid="player"]')).toHaveAttribute('data-step', '2')
    // Nothing of it in the light DOM or the document head.
    expect(document.querySelector('[data-testid="player"]')).toBeNull()
    el.setAttribute('step', '4')
    await waitFor(() => expect(shadow.querySelector('[data-testid="player"]')).toHaveAttribute('data-step', '4'))
    el.remove()
    await waitFor(() => expect(shadow.querySelector('[data-testid="player"]')).toBeNull())
  })
})
