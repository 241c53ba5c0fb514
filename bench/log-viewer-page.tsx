import { createRoot } from 'react-dom/client';
import '../src/renderer/src/styles/theme.css';
import { wholeText } from '../src/renderer/src/logs/use-parsed-log';
import { LogViewer } from '../src/renderer/src/views/logs/log-viewer';
import { syntheticLog } from './log-samples';

/**
 * The page the viewer benchmark loads in Chromium: it builds a synthetic log in the page (not
 * timed), then times the real `LogViewer` from mounting to the first painted lines and to the
 * first error shown.
 */

export interface OpenTiming {
  firstLinesMs: number;
  firstErrorMs: number;
  lineElements: number;
}

declare global {
  interface Window {
    benchMakeLog(lines: number): number;
    benchOpen(): Promise<OpenTiming>;
    benchClose(): void;
  }
}

let text = '';
let close: (() => void) | null = null;

/**
 * Checks `check` in every animation frame; resolves with the time of the first frame in which it
 * holds. rAF callbacks run right before the frame is painted, and keep running while the parser
 * works in slices, so this is when the rows reach the screen.
 */
function until(check: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const frame = (): void => {
      if (check()) resolve(performance.now());
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

window.benchMakeLog = (lines) => {
  text = syntheticLog(lines);
  return text.length;
};

window.benchOpen = async () => {
  const container = document.getElementById('root');
  if (!container) throw new Error('no #root');
  await until(() => true);
  const root = createRoot(container);
  const started = performance.now();
  root.render(
    <div style={{ display: 'flex', flexDirection: 'column', height: '760px' }}>
      <LogViewer
        source={wholeText(text)}
        complete
        initialLine={null}
        lineHref={(line) => `#L${line}`}
        downloadName="bench.log"
        webUrl={null}
      />
    </div>,
  );
  const firstLines = await until(() => document.querySelector('[data-testid="log-line"]') !== null);
  const firstError = await until(() => {
    const line = document.querySelector('[data-first-error="true"]');
    if (!line) return false;
    const box = line.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
  close = () => root.unmount();
  return {
    firstLinesMs: firstLines - started,
    firstErrorMs: firstError - started,
    lineElements: document.querySelectorAll('[data-testid="log-line"]').length,
  };
};

window.benchClose = () => {
  close?.();
  close = null;
  text = '';
};
