import { Component, type ErrorInfo, type ReactNode } from 'react'

interface Props {
  readonly children: ReactNode
  /** What failed, for the message: "the app", "this scenario". */
  readonly what: string
}

interface State {
  readonly error: unknown
  readonly failed: boolean
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

/** Shows a readable message instead of a blank page when rendering throws. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, failed: false }

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`PEP 703 Explorer: ${this.props.what} failed to render`, error, info.componentStack)
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children
    return (
      <div role="alert" className="notice notice-error">
        <p>
          <strong>Something went wrong while showing {this.props.what}.</strong>
        </p>
        <p className="mono">{errorMessage(this.state.error)}</p>
        <p>
          <a href="./">Reload the explorer</a>
        </p>
      </div>
    )
  }
}
