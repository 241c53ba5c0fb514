/**
 * Synthetic CI logs for the log benchmarks, in GitHub's format: timestamps, ANSI colours,
 * `##[group]` sections every 10,000 lines, one `status=503` line per 1,000 and an error at the
 * end. Pure TypeScript, so the viewer benchmark can build the same log inside the browser.
 */

const ESC = '\u001b[';
const PATHS = ['/catalog/items?page=', '/catalog/items/CAT-', '/catalog/search?q='];

function timestamp(index: number): string {
  const seconds = Math.floor(index / 250);
  const hh = String(10 + (Math.floor(seconds / 3600) % 14)).padStart(2, '0');
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `2026-11-29T${hh}:${mm}:${ss}.${String((index % 250) * 40000).padStart(7, '0')}Z `;
}

/** A log of `lines` lines (about 100 bytes each). */
export function syntheticLog(lines: number): string {
  const out = new Array<string>(lines);

  for (let index = 0; index < lines; index += 1) {
    const stamp = timestamp(index);
    if (index === lines - 1) {
      out[index] = `${stamp}##[error]Process completed with exit code 1.`;
    } else if (index === lines - 3) {
      out[index] = `${stamp}${ESC}31mAssertionError: p(95) was above the 250 ms budget${ESC}39m`;
    } else if (index % 10_000 === 0) {
      out[index] = `${stamp}##[group]Request samples ${index / 10_000 + 1}`;
    } else if (index % 10_000 === 9_999) {
      out[index] = `${stamp}##[endgroup]`;
    } else {
      const status = index % 1000 === 500 ? `${ESC}31mstatus=503${ESC}39m` : 'status=200';
      const path = `${PATHS[index % 3]}${(index * 7919) % 100_000}`;
      const duration = ((index * 37) % 4000) / 10;
      out[index] =
        `${stamp}${ESC}38;5;244msample${ESC}39m vu=${1 + (index % 200)} iter=${index} ` +
        `GET ${path} ${status} duration=${duration.toFixed(1)}ms`;
    }
  }
  // One join, no concatenation after it: a concatenated string is a rope that the first search
  // would flatten (copy) inside the timed part, which a fetched log never is.
  out.push('');
  return out.join('\n');
}
