import { useEffect, useRef, useState } from 'react';
import { createStreamingLogParser, type ParsedLog } from '../../../shared/log/parse-log';
import { SLICE_MS, nextTask, now } from './time-slices';

/**
 * Where a viewer's text comes from: pieces in order, read on demand (a stored log's blocks, read
 * one by one), or one whole text. A new source object restarts parsing.
 */
export interface LogTextSource {
  /** About the characters to come (for progress); 0 when unknown. */
  readonly size: number;
  /** The pieces of the text, in order; joined they are the log. */
  pieces(): AsyncIterable<string>;
}

/** A source that is one text already in memory. */
export function wholeText(text: string): LogTextSource {
  return {
    size: text.length,
    async *pieces() {
      yield text;
    },
  };
}

/** A log being parsed: the lines so far, and a version that changes as more arrive. */
export interface ParsedLogState {
  log: ParsedLog | null;
  version: number;
  /** Share of the text read and parsed, 0–1 (1 once done). */
  progress: number;
  /** Why the text could not be read to its end (the lines read so far stay). */
  error: unknown;
  /** The source `log` was read from: an earlier one while a replacement is being read. */
  readFrom: LogTextSource | null;
}

const EMPTY: ParsedLogState = { log: null, version: 0, progress: 0, error: null, readFrom: null };

/**
 * Reads a log's pieces and parses them in slices as they arrive, showing the lines as they come:
 * the first screen paints once the first chunk of lines has arrived, whatever the size of the
 * log. When the source is replaced (a live log grew), the previous parse stays on screen until
 * the new one is complete, so the view never shrinks and jumps while it re-reads.
 */
export function useParsedLog(
  source: LogTextSource | null,
  onSlice?: (log: ParsedLog, replaced: boolean) => void,
): ParsedLogState {
  const [state, setState] = useState<ParsedLogState>(EMPTY);
  const listener = useRef(onSlice);
  useEffect(() => {
    listener.current = onSlice;
  });

  useEffect(() => {
    if (source === null) return;
    let cancelled = false;
    const parser = createStreamingLogParser();
    const progressive = state.log === null || !state.log.done;
    const run = async (): Promise<void> => {
      let version = 0;
      const pieces = source.pieces()[Symbol.asyncIterator]();
      for (;;) {
        while (parser.ready || parser.log.done) {
          const started = now();
          // The first slice is one chunk: the first screen of a huge log paints as soon as it can.
          const budget = version === 0 ? 0 : SLICE_MS;
          let done = parser.step();
          while (!done && parser.ready && now() - started < budget) done = parser.step();
          if (cancelled) return;
          version += 1;
          const progress = done ? 1 : Math.min(0.99, parser.parsedCharacters / (source.size || 1));
          if (done || progressive) {
            setState({ log: parser.log, version, progress, error: null, readFrom: source });
            listener.current?.(parser.log, !progressive);
          }
          if (done) return;
          await nextTask();
          if (cancelled) return;
        }
        const next = await pieces.next();
        if (cancelled) return;
        if (next.done === true) parser.end();
        else parser.push(next.value);
      }
    };
    run().catch((error: unknown) => {
      if (!cancelled) setState((previous) => ({ ...previous, error }));
    });
    return () => {
      cancelled = true;
    };
    // Only a new source restarts parsing; the previous state is read once, on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source]);

  return state;
}

/**
 * Tells the owner of a viewer whether its current source has been read to the end, and when
 * reading it failed (a live log is asked for again only once its copy has been read).
 */
export function useReadReports(
  readDone: boolean,
  error: unknown,
  listeners: { onRead?(done: boolean): void; onReadError?(error: unknown): void },
): void {
  const { onRead, onReadError } = listeners;
  useEffect(() => onRead?.(readDone), [onRead, readDone]);
  useEffect(() => {
    if (error !== null) onReadError?.(error);
  }, [onReadError, error]);
}
