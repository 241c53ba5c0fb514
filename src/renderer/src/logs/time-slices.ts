/**
 * Long work (parsing, searching a million lines) runs in slices of a few milliseconds with the
 * browser free to paint and handle input in between.
 */

/** How long one slice may run before giving the browser a turn. */
export const SLICE_MS = 12;

/**
 * Resolves on the next macrotask. A MessageChannel message, unlike `setTimeout(0)`, is not
 * clamped to 4 ms after a few nested calls, so a hundred slices do not add 400 ms of waiting.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A clock for slices; `performance.now` where there is one. */
export function now(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.now();
}
