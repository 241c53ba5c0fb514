import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EPOCH,
  buildOf,
  demoSource,
  poll,
  stepRef,
  temporaryFolder,
  testClock,
} from './demo-fixture';

const ESC = '\u001b[';
const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z /;
const ERROR_MARKER = '##[error]Process completed with exit code 1.';

let folder: ReturnType<typeof temporaryFolder>;
beforeEach(() => {
  folder = temporaryFolder();
});
afterEach(() => folder.remove());

function linesOf(text: string): string[] {
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

describe('demo logs', () => {
  it("build 121's load test writes over 100,000 coloured, timestamped lines and ends in the error", async () => {
    const source = demoSource(folder.path, testClock());
    const started = performance.now();
    const log = await source.fetchLog(stepRef(121, 'performance-tests', 'load-test'));
    const elapsed = performance.now() - started;

    const lines = linesOf(log.text);
    expect(log.complete).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(100_000);
    expect(lines.every((line) => TIMESTAMPED.test(line))).toBe(true);
    expect(log.text).toContain(ESC);
    expect(log.text).toContain(`${ESC}38;5;`);
    expect(log.text).toContain('##[group]Request samples');
    expect(log.text).toContain('##[endgroup]');
    expect(lines.at(-1)).toMatch(new RegExp(`Z ${ERROR_MARKER.replace(/[[\].]/g, '\\$&')}$`));
    // Generous: the machine is shared; a quadratic build-up would take minutes, not seconds.
    expect(elapsed).toBeLessThan(15_000);
  });

  it("build 120's unit tests show the failing test, its assertion and its stack trace", async () => {
    const source = demoSource(folder.path, testClock());
    const log = await source.fetchLog(stepRef(120, 'fast-tests', 'unit-tests'));
    expect(log.complete).toBe(true);
    expect(log.text).toContain(ERROR_MARKER);
    expect(log.text).toContain('AssertionError');
    expect(log.text).toContain('excludes items above the maximum price');
    expect(log.text).toMatch(
      /^\S+Z {7}at Object\.<anonymous> \(src\/catalog\/search\.test\.ts:42:26\)$/m,
    );
    expect(log.text).toContain(`${ESC}1;37;41m FAIL `);
    expect(log.text).toContain(`${ESC}1;30;42m PASS `);
    expect(linesOf(log.text)[0]).toMatch(/Z ##\[group\]Run npm test -- --ci$/);
  });

  it('a step that passed has no error marker', async () => {
    const source = demoSource(folder.path, testClock());
    const log = await source.fetchLog(stepRef(122, 'uat', 'acceptance-suite'));
    expect(log.complete).toBe(true);
    expect(log.text).not.toContain('##[error]');
    expect(log.text).toContain('scenarios');
  });

  it('the same step always has the same log', async () => {
    const source = demoSource(folder.path, testClock());
    const first = await source.fetchLog(stepRef(122, 'compile', 'check-out'));
    const again = await source.fetchLog(stepRef(122, 'compile', 'check-out'));
    expect(again).toEqual(first);
    const sha = buildOf(await poll(source), 122).commitSha ?? 'missing';
    expect(first.text).toContain(sha);
  });

  it('a running step shows the part written so far, then all of it', async () => {
    const clock = testClock();
    const source = demoSource(folder.path, clock, { failureRate: 0 });
    await poll(source);

    // Find build 123's unit tests while they run.
    clock.set(EPOCH + 120_000);
    let unitTests = buildOf(await poll(source), 123).stages[1]?.steps[0];
    while (unitTests?.status !== 'running') {
      clock.advanceSeconds(5);
      unitTests = buildOf(await poll(source), 123).stages[1]?.steps[0];
    }
    clock.advanceSeconds(10);
    const partial = await source.fetchLog(stepRef(123, 'fast-tests', 'unit-tests'));
    expect(partial.complete).toBe(false);

    clock.advanceSeconds(120);
    const whole = await source.fetchLog(stepRef(123, 'fast-tests', 'unit-tests'));
    expect(whole.complete).toBe(true);
    expect(linesOf(partial.text).length).toBeLessThan(linesOf(whole.text).length);
    expect(whole.text.startsWith(partial.text)).toBe(true);
  });
});
