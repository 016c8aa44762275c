// Which parts of the player show: the controls and the detail panels (an embed or presenter
// mode may hide some). Kept apart from Player.tsx so option parsers can import it cheaply.

/**
 * `all` (settings bar, transport, timeline), `minimal` (transport and timeline only) or `none`
 * (the picture alone; keys and the store still move it).
 */
export type PlayerControls = 'all' | 'minimal' | 'none'
export type PanelName = 'code' | 'counters' | 'source' | 'results'
export const PANEL_NAMES: readonly PanelName[] = ['code', 'counters', 'source', 'results']
