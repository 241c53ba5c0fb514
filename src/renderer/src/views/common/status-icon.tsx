import type { Status } from '../../../../shared/status';

/** Stroke paths on a 16×16 grid; a shape per status so colour is never the only signal. */
const PATHS: Record<Status, string> = {
  success: 'M3.5 8.5l3 3 6-7',
  failed: 'M4.5 4.5l7 7M11.5 4.5l-7 7',
  running: 'M8 2.5a5.5 5.5 0 1 1-5.5 5.5',
  waiting: 'M6 4.5v7M10 4.5v7',
  queued: 'M8 4.5v3.5l2.5 1.5',
  blocked: 'M4.5 8h7',
  cancelled: 'M4.5 11.5l7-7',
  skipped: 'M4 4.5l4.5 3.5-4.5 3.5M11.5 4.5v7',
  unknown: 'M6 6.2a2 2 0 1 1 2.8 1.8c-.5.3-.8.7-.8 1.3M8 11.6v.1',
};

/** A small status glyph drawn in `currentColor`; hidden from screen readers (the word is not). */
export function StatusIcon({ status, size = 16 }: { status: Status; size?: number }) {
  return (
    <svg
      className={`status-icon status-icon--${status}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      {status === 'queued' ? <circle cx="8" cy="8" r="5.5" /> : null}
      <path d={PATHS[status]} />
    </svg>
  );
}
