// Where a story's notes (narration, "predict, then reveal") meet a trace: a statement runs as one
// or more micro-steps; its prompt is asked at the position just before its first micro-step and
// answered once the reader steps past that position.

import type { Trace } from '../../engine'
import type { Story, StoryNote, StoryPrompt } from '../../story'

export interface PlacedPrompt {
  /** Unique within the story: statement index and prompt index. */
  readonly key: string
  readonly prompt: StoryPrompt
  readonly note: StoryNote
  /** The position at which the question is asked: the state before the statement's first micro-step. */
  readonly ask: number
  /** The position after the statement's last micro-step. */
  readonly end: number
}

/** The trace positions (1-based: position p is after steps[p-1]) of a note's statement. */
function stepsOf(story: Story, trace: Trace, note: StoryNote): number[] {
  const thread = story.scenario.statements[note.statement]?.thread
  const out: number[] = []
  trace.steps.forEach((s, i) => {
    if (s.line === note.scenarioLine && (thread === undefined || s.thread === thread)) out.push(i + 1)
  })
  return out
}

const cache = new WeakMap<Trace, Map<Story, PlacedPrompt[]>>()

/** Every prompt of the story whose statement runs in this trace, by position. */
export function placePrompts(story: Story, trace: Trace): PlacedPrompt[] {
  const perTrace = cache.get(trace) ?? new Map<Story, PlacedPrompt[]>()
  cache.set(trace, perTrace)
  const hit = perTrace.get(story)
  if (hit) return hit
  const out: PlacedPrompt[] = []
  for (const note of story.notes) {
    if (!note.predict.length) continue
    const positions = stepsOf(story, trace, note)
    if (!positions.length) continue
    note.predict.forEach((prompt, i) => {
      out.push({ key: `${note.statement}.${i}`, prompt, note, ask: positions[0]! - 1, end: positions.at(-1)! })
    })
  }
  out.sort((a, b) => a.ask - b.ask)
  perTrace.set(story, out)
  return out
}

/** The prompts to show at `position`: asked here, or their statement is the one that just ran. */
export function promptsAt(story: Story, trace: Trace, position: number): PlacedPrompt[] {
  const step = position > 0 ? trace.steps[position - 1] : undefined
  return placePrompts(story, trace).filter(
    (p) => p.ask === position || (step !== undefined && position > p.ask && position <= p.end && step.line === p.note.scenarioLine),
  )
}

/** The story's note on the statement that made the step at `position` (none at position 0). */
export function noteAt(story: Story, trace: Trace, position: number): StoryNote | undefined {
  const step = position > 0 ? trace.steps[position - 1] : undefined
  if (!step) return undefined
  return story.notes.find((n) => n.scenarioLine === step.line && story.scenario.statements[n.statement]?.thread === step.thread)
}

/** Markdown to plain words for a screen-reader announcement. */
export function plainWords(markdown: string): string {
  return markdown.replace(/[`*_]+/g, '').replace(/\s+/g, ' ').trim()
}
