import '../../styles/logs-across-builds.css';
import { useState } from 'react';
import {
  baselineWords,
  compareToggleWords,
  comparisonNote,
  newLineCountWords,
  stepNewLine,
} from '../../logs/new-lines';
import type { ComparisonState } from '../../logs/use-log-comparison';
import type { LogViewerTools } from './log-viewer';

export interface LogCompareControlProps {
  state: ComparisonState;
  onToggle(on: boolean): void;
  /** The green build's log of the same stage (and step), to read it side by side. */
  baselineHref(baseline: { buildId: number; stageId: number; stepId: number | null }): string;
  tools: LogViewerTools;
}

/**
 * "New since last green: #121" in the log toolbar: switches the comparison on and off, counts the
 * new lines and steps through them, or says plainly why there is nothing to compare with.
 */
export function LogCompareControl({
  state,
  onToggle,
  baselineHref,
  tools,
}: LogCompareControlProps) {
  const [current, setCurrent] = useState<number | null>(null);
  const on = state.phase !== 'off';
  const comparison = state.phase === 'done' ? state.comparison : null;
  const lines = comparison?.newLines ?? [];
  const note = comparison ? comparisonNote(comparison) : null;

  const step = (direction: 1 | -1): void => {
    // From the new line last gone to, else from the top of the view.
    const from = current ?? (direction === 1 ? tools.topLine - 1 : tools.topLine);
    const next = stepNewLine(lines, from, direction);
    if (next === null) return;
    setCurrent(next);
    tools.goToLine(next);
  };

  return (
    <>
      <button
        type="button"
        className="log-toggle log-compare-toggle"
        aria-pressed={on}
        onClick={() => onToggle(!on)}
        title="Mark the lines this log has and the same stage's log in the last green build has not"
        data-testid="log-compare-toggle"
      >
        {compareToggleWords(on ? comparison : null)}
      </button>
      {on ? (
        // A row of its own under the tools, so the toolbar keeps to one line.
        <div
          className="log-compare-bar"
          role="group"
          aria-label="New lines since the last green build"
          data-testid="log-compare-bar"
        >
          {state.phase === 'comparing' ? (
            <span role="status">Comparing with the last build where this stage passed…</span>
          ) : null}
          {state.phase === 'failed' ? (
            <span className="log-compare-error" role="alert">
              The logs could not be compared: {state.error}
            </span>
          ) : null}
          {note !== null ? (
            <span role="status" data-testid="log-compare-note">
              {note}
            </span>
          ) : null}
          {comparison?.baseline && note === null ? (
            <>
              <span
                className="log-new-line-count"
                data-testid="log-new-line-count"
                data-count={lines.length}
                aria-live="polite"
              >
                {newLineCountWords(lines, current)}
              </span>
              <button
                type="button"
                className="log-icon-button"
                aria-label="Previous new line"
                title="Previous new line"
                disabled={lines.length === 0}
                onClick={() => step(-1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="log-icon-button"
                aria-label="Next new line"
                title="Next new line"
                disabled={lines.length === 0}
                onClick={() => step(1)}
              >
                ↓
              </button>
              <span className="log-compare-explained">
                {baselineWords(comparison.baseline.buildNumber, lines.length)}
              </span>
              <a
                className="log-text-button"
                href={baselineHref(comparison.baseline)}
                data-testid="log-compare-baseline"
              >
                Open build #{comparison.baseline.buildNumber}&apos;s log
              </a>
            </>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
