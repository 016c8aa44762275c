// Keeps presenter mode (?present=1) and its speaker-notes window (?notes=1) in step over a
// BroadcastChannel: stepping in either window moves both, and so do the scenario, the mode and
// the blanked screen. The notes window says hello when it opens; the presenter answers with
// its view. Messages are checked before use (another page of the same origin could post).

import { isMode, type ExplorerStore, type ScenarioSource } from '../store/explorerStore'

export const CHANNEL_NAME = 'pep703-explorer:present'

export type Role = 'presenter' | 'notes'

interface ViewMessage {
  readonly type: 'view'
  readonly from: string
  readonly source: ScenarioSource | null
  readonly mode: string | null
  readonly compare: string | null
  readonly position: number
}

interface BlankMessage {
  readonly type: 'blank'
  readonly from: string
  readonly blank: boolean
}

interface HelloMessage {
  readonly type: 'hello'
  readonly from: string
}

type Message = ViewMessage | BlankMessage | HelloMessage

function isSource(v: unknown): v is ScenarioSource {
  if (typeof v !== 'object' || v === null) return false
  const s = v as Record<string, unknown>
  return typeof s.id === 'string' && typeof s.file === 'string' && typeof s.text === 'string' && s.text.length < 200_000
}

function parse(data: unknown): Message | null {
  if (typeof data !== 'object' || data === null) return null
  const d = data as Record<string, unknown>
  if (typeof d.from !== 'string') return null
  if (d.type === 'hello') return { type: 'hello', from: d.from }
  if (d.type === 'blank' && typeof d.blank === 'boolean') return { type: 'blank', from: d.from, blank: d.blank }
  if (
    d.type === 'view' &&
    (d.source === null || isSource(d.source)) &&
    (d.mode === null || isMode(d.mode)) &&
    (d.compare === null || isMode(d.compare)) &&
    typeof d.position === 'number' &&
    Number.isInteger(d.position) &&
    d.position >= 0
  ) {
    return { type: 'view', from: d.from, source: d.source as ScenarioSource | null, mode: d.mode as string | null, compare: d.compare as string | null, position: d.position }
  }
  return null
}

export interface PresenterSync {
  /** Tells the other window that the screen was blanked or unblanked. */
  setBlank(blank: boolean): void
  disconnect(): void
}

export function connectPresenterSync(
  store: ExplorerStore,
  role: Role,
  onBlank: (blank: boolean) => void,
  channelName = CHANNEL_NAME,
): PresenterSync {
  if (typeof BroadcastChannel === 'undefined') return { setBlank: () => undefined, disconnect: () => undefined }
  const channel = new BroadcastChannel(channelName)
  const id = `${role}-${Math.random().toString(36).slice(2)}`
  let applying = false

  const viewMessage = (): ViewMessage => {
    const s = store.getState()
    return { type: 'view', from: id, source: s.source, mode: s.modeOverride, compare: s.compareMode, position: s.position }
  }
  const post = (m: Message) => channel.postMessage(m)

  const unsubscribe = store.subscribe((s, prev) => {
    if (applying) return
    if (s.position !== prev.position || s.source !== prev.source || s.modeOverride !== prev.modeOverride || s.compareMode !== prev.compareMode) {
      post(viewMessage())
    }
  })

  channel.onmessage = (event: MessageEvent) => {
    const m = parse(event.data)
    if (m === null || m.from === id) return
    if (m.type === 'hello') {
      if (role === 'presenter') post(viewMessage())
      return
    }
    if (m.type === 'blank') {
      onBlank(m.blank)
      return
    }
    applying = true
    try {
      const s = store.getState()
      const mode = m.mode !== null && isMode(m.mode) ? m.mode : null
      const compare = m.compare !== null && isMode(m.compare) ? m.compare : null
      const sameSource = s.source?.id === m.source?.id && s.source?.text === m.source?.text
      if (s.compareMode !== compare) s.setCompareMode(compare)
      if (!sameSource || s.modeOverride !== mode) store.getState().load(m.source, { mode, position: m.position })
      if (store.getState().position !== m.position) store.getState().seek(m.position, 'step')
    } finally {
      applying = false
    }
  }
  if (role === 'notes') post({ type: 'hello', from: id })

  return {
    setBlank(blank) {
      post({ type: 'blank', from: id, blank })
    },
    disconnect() {
      unsubscribe()
      channel.close()
    },
  }
}
