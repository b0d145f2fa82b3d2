import { Component, type ReactNode } from "react";
import { ApiError } from "../api/client";

/** An error shown plainly: what failed, the error code and the server's message. */
export function ErrorMessage({ error, what }: { error: unknown; what?: string }) {
  const e =
    error instanceof ApiError
      ? error
      : new ApiError(what ?? "The page", "UI_ERROR", error instanceof Error ? error.message : String(error));
  return (
    <div className="error" role="alert" data-testid="error-message" data-code={e.code}>
      <strong>{what ?? e.what} failed</strong> — <code className="error-code">{e.code}</code>: <span className="error-text">{e.message}</span>
    </div>
  );
}

interface State {
  error: unknown;
}

/** Never a blank page: a render failure shows as an error message. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };
  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }
  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  render() {
    if (this.state.error)
      return (
        <div className="page">
          <ErrorMessage error={this.state.error} what="Drawing the page" />
          <p>
            <a href="/">Back to search</a>
          </p>
        </div>
      );
    return this.props.children;
  }
}
