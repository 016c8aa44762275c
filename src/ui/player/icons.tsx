// Small inline SVG icons (the fonts on a machine may lack the media-control glyphs). Always
// decorative: the button or marker carrying one has its own accessible name.

export type IconName =
  | 'start'
  | 'back'
  | 'play'
  | 'pause'
  | 'forward'
  | 'end'
  | 'help'
  | 'fullscreen'
  | 'queue'
  | 'merge'
  | 'free'
  | 'contention'
  | 'deadlock'

const PATHS: Readonly<Record<IconName, string>> = {
  start: 'M5 4h2.5v16H5zM20 4v16L9 12z',
  back: 'M4 4h2.5v16H4zM19 4v16L8 12z',
  play: 'M7 4v16l13-8z',
  pause: 'M6 4h4.5v16H6zM13.5 4H18v16h-4.5z',
  forward: 'M17.5 4H20v16h-2.5zM5 4v16l11-8z',
  end: 'M16.5 4H19v16h-2.5zM4 4v16l11-8z',
  help: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 16.2a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm1.3-5.1v.9h-2.6v-1.4c0-1.2.8-1.8 1.5-2.3.6-.4 1-.7 1-1.3 0-.7-.6-1.2-1.3-1.2-.8 0-1.3.5-1.4 1.3H7.9C8 7.1 9.7 5.8 12 5.8c2.2 0 3.9 1.3 3.9 3.3 0 1.5-1 2.3-1.8 2.8-.5.4-.8.6-.8 1.2z',
  fullscreen: 'M3 3h7v2.5H5.5V10H3zM14 3h7v7h-2.5V5.5H14zM3 14h2.5v4.5H10V21H3zM18.5 14H21v7h-7v-2.5h4.5z',
  queue: 'M3 10h11V5l8 7-8 7v-5H3z',
  merge: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1.4 4.5v4.1h4.1v2.8h-4.1v4.1h-2.8v-4.1H6.5v-2.8h4.1V6.5z',
  free: 'M5.1 3.2 12 10.1l6.9-6.9 1.9 1.9-6.9 6.9 6.9 6.9-1.9 1.9-6.9-6.9-6.9 6.9-1.9-1.9 6.9-6.9-6.9-6.9z',
  contention: 'M5 3h5v18H5zM14 3h5v18h-5z',
  deadlock: 'M8 2h8l6 6v8l-6 6H8l-6-6V8zm-1.5 8.6v2.8h11v-2.8z',
}

export function Icon({ name }: { readonly name: IconName }) {
  return (
    <svg className="pep-icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" fillRule="evenodd" />
    </svg>
  )
}
