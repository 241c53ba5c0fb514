import { describe, expect, it } from 'vitest';
import { TRUECOLOR } from '../../src/shared/log/ansi-style';
import { lineSegments } from '../../src/shared/log/log-lines';
import { parseLog } from '../../src/shared/log/parse-log';
import {
  computeFoldLayout,
  defaultCollapsed,
  flatGeometry,
  lineOfRow,
  rowOfLine,
  sectionsAround,
  wrappedGeometry,
} from '../../src/renderer/src/logs/fold-layout';
import { lineSpans, lookOf } from '../../src/renderer/src/logs/line-spans';
import { scrollTopFor, virtualWindow } from '../../src/renderer/src/logs/virtual-window';
import { hrefFor, parseHashRoute } from '../../src/renderer/src/routing/hash-route';
import { downloadName } from '../../src/renderer/src/views/logs/log-view';

const GROUPED = [
  '##[group]Run npm ci', // 0
  'npm ci', // 1
  '##[endgroup]', // 2
  'added 120 packages', // 3
  '##[group]Run npm test', // 4
  'PASS a', // 5
  'FAIL b', // 6
  '##[endgroup]', // 7
  'done', // 8
].join('\n');

describe('folding sections', () => {
  const log = parseLog(GROUPED);

  it('shows a folded section as its header and never shows ##[endgroup]', () => {
    const layout = computeFoldLayout(log, defaultCollapsed(log.sections));
    const shown = Array.from({ length: layout.rowCount }, (_, row) => lineOfRow(layout, row));
    expect(shown).toEqual([0, 3, 4, 8]);
  });

  it('shows every line but the closing markers once unfolded', () => {
    const layout = computeFoldLayout(log, new Set());
    const shown = Array.from({ length: layout.rowCount }, (_, row) => lineOfRow(layout, row));
    expect(shown).toEqual([0, 1, 3, 4, 5, 6, 8]);
    expect(rowOfLine(layout, 6)).toBe(5);
    // A hidden line maps to the row before it.
    expect(rowOfLine(layout, 7)).toBe(5);
  });

  it('knows which sections to unfold to show a line', () => {
    expect(sectionsAround(log, 6)).toEqual([1]);
    expect(sectionsAround(log, 4)).toEqual([]);
    const layout = computeFoldLayout(log, defaultCollapsed(log.sections));
    expect(rowOfLine(layout, 6)).toBe(2);
  });

  it('keeps a million rows in a handful of segments', () => {
    const lines = [
      '##[group]Samples',
      ...Array.from({ length: 1_000_000 }, (_, i) => `s ${i}`),
      '##[endgroup]',
      'end',
    ];
    const big = parseLog(lines.join('\n'));
    const folded = computeFoldLayout(big, defaultCollapsed(big.sections));
    expect(folded.rowCount).toBe(2);
    expect(folded.segmentCount).toBe(2);
    const open = computeFoldLayout(big, new Set());
    expect(open.rowCount).toBe(1_000_002);
    expect(lineOfRow(open, 500_000)).toBe(500_000);
  });
});

describe('the virtual window', () => {
  const log = parseLog(Array.from({ length: 1_000_000 }, (_, i) => `line ${i}`).join('\n'));
  const layout = computeFoldLayout(log, new Set());
  const input = {
    geometry: flatGeometry(layout),
    rowCount: layout.rowCount,
    scrollTop: 0,
    viewportHeight: 600,
    lineHeight: 20,
    maxScrollPx: 8_000_000,
    overscan: 30,
  };

  it('draws only the rows in view plus overscan, however long the log', () => {
    const top = virtualWindow(input);
    expect(top.lastRow - top.firstRow + 1).toBe(61);
    const middle = virtualWindow({ ...input, scrollTop: 4_000_000 });
    expect(middle.lastRow - middle.firstRow + 1).toBeLessThanOrEqual(92);
    expect(middle.scale).toBeGreaterThan(2);
  });

  it('scrolls a line to a third of the view and scales past the browser height limit', () => {
    const view = virtualWindow(input);
    const scrollTop = scrollTopFor(900_000, 'third', input, view);
    const after = virtualWindow({ ...input, scrollTop });
    expect(after.firstVisible).toBeLessThan(900_000);
    expect(after.lastVisible).toBeGreaterThan(900_000);
    expect(view.physicalPx).toBe(8_000_000);
    expect(scrollTopFor(0, 'bottom', input, view)).toBeGreaterThanOrEqual(8_000_000 - 600);
  });

  it('counts wrapped rows by their length at the width of the view', () => {
    const wrapped = parseLog(['short', 'x'.repeat(250), 'end'].join('\n'));
    const geometry = wrappedGeometry(wrapped, computeFoldLayout(wrapped, new Set()), 100, 10_000);
    expect(geometry.totalUnits).toBe(1 + 3 + 1);
    expect(geometry.unitOfRow(2)).toBe(4);
    expect(geometry.rowAtUnit(3.5)).toBe(1);
  });
});

describe('drawing a line', () => {
  it('cuts styled segments at search matches and marks the current one', () => {
    const log = parseLog('\u001b[31mred text\u001b[0m plain text');
    const spans = lineSpans(
      lineSegments(log, 0),
      [
        { column: 4, length: 4, current: false },
        { column: 15, length: 4, current: true },
      ],
      (style) => lookOf(log.styles[style]),
    );
    expect(spans.map((span) => [span.text, span.look.className, span.match])).toEqual([
      ['red ', 'ansi-fg-1', 'none'],
      ['text', 'ansi-fg-1', 'match'],
      [' plain ', '', 'none'],
      ['text', '', 'current'],
    ]);
  });

  it('turns theme colours into classes and other colours into inline colours', () => {
    expect(lookOf({ foreground: 2, background: -1, attributes: 1 })).toEqual({
      className: 'ansi-fg-2 ansi-bold',
      color: null,
      background: null,
    });
    expect(lookOf({ foreground: TRUECOLOR + 0xff8800, background: 17, attributes: 0 })).toEqual({
      className: '',
      color: '#ff8800',
      background: 'rgb(0 0 95)',
    });
    expect(lookOf({ foreground: -1, background: -1, attributes: 32 }).className).toBe(
      'ansi-fg-inverse ansi-bg-inverse',
    );
  });
});

describe('log routes', () => {
  it.each([
    ['#/pipelines/1/builds/2/stages/3/log', { stepId: null, line: null }],
    ['#/pipelines/1/builds/2/stages/3/log/L42', { stepId: null, line: 42 }],
    ['#/pipelines/1/builds/2/stages/3/steps/4/log', { stepId: 4, line: null }],
    ['#/pipelines/1/builds/2/stages/3/steps/4/log/L105423', { stepId: 4, line: 105423 }],
  ])('%s opens a log', (hash, place) => {
    const route = parseHashRoute(hash);
    expect(route).toEqual({ view: 'log', pipelineId: 1, buildId: 2, stageId: 3, ...place });
    expect(hrefFor(route)).toBe(hash);
  });

  it('reads ?line= permalinks and refuses malformed ones', () => {
    expect(parseHashRoute('#/pipelines/1/builds/2/stages/3/steps/4/log?line=7')).toMatchObject({
      view: 'log',
      line: 7,
    });
    for (const hash of [
      '#/pipelines/1/builds/2/stages/3/log/42',
      '#/pipelines/1/builds/2/stages/3/steps/x/log',
      '#/pipelines/1/builds/2/stages/3/log/L0',
      '#/pipelines/1/builds/2/stages/3/steps/4/log/L1/more',
    ]) {
      expect(parseHashRoute(hash).view).toBe('not-found');
    }
  });

  it('names the download after the pipeline, build, stage and step', () => {
    expect(downloadName(['Catalog', 121, 'performance-tests', 'Load test'])).toBe(
      'catalog-121-performance-tests-load-test.log',
    );
    expect(downloadName([null, undefined, ''])).toBe('log.log');
  });
});
