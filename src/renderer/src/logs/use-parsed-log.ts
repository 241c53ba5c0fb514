import { useEffect, useRef, useState } from 'react';
import { createLogParser, type ParsedLog } from '../../../shared/log/parse-log';
import { SLICE_MS, nextTask, now } from './time-slices';

/** A log being parsed: the lines so far, and a version that changes as more arrive. */
export interface ParsedLogState {
  log: ParsedLog | null;
  version: number;
  /** Share of the text parsed, 0–1 (1 once done). */
  progress: number;
}

const EMPTY: ParsedLogState = { log: null, version: 0, progress: 0 };

/**
 * Parses a log in slices and shows the lines as they come: the first screen paints after the
 * first chunk, whatever the size of the log. When the text is replaced (a live log grew), the
 * previous parse stays on screen until the new one is complete, so the view never shrinks and
 * jumps while it re-parses.
 */
export function useParsedLog(
  text: string | null,
  onSlice?: (log: ParsedLog, replaced: boolean) => void,
): ParsedLogState {
  const [state, setState] = useState<ParsedLogState>(EMPTY);
  const listener = useRef(onSlice);
  useEffect(() => {
    listener.current = onSlice;
  });

  useEffect(() => {
    if (text === null) return;
    let cancelled = false;
    const parser = createLogParser(text);
    const progressive = state.log === null || !state.log.done;
    const run = async (): Promise<void> => {
      let version = 0;
      for (;;) {
        const started = now();
        // The first slice is one chunk: the first screen of a huge log paints as soon as it can.
        const budget = version === 0 ? 0 : SLICE_MS;
        let done = parser.step();
        while (!done && now() - started < budget) done = parser.step();
        if (cancelled) return;
        version += 1;
        const chunks = parser.log.chunks;
        const parsedTo = chunks.length === 0 ? 0 : (chunks.at(-1)?.rawStarts.at(-1) ?? 0);
        const progress = done ? 1 : text.length === 0 ? 1 : parsedTo / text.length;
        if (done || progressive) {
          setState({ log: parser.log, version, progress });
          listener.current?.(parser.log, !progressive);
        }
        if (done) return;
        await nextTask();
        if (cancelled) return;
      }
    };
    void run();
    return () => {
      cancelled = true;
    };
    // Only a new text restarts parsing; the previous state is read once, on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  return state;
}
