import { describe, expect, it } from 'vitest';
import {
  auditFileName,
  auditToCsv,
  auditToJson,
  csvCell,
} from '../../src/renderer/src/format/audit-export';
import { filterAudit, NO_AUDIT_FILTER } from '../../src/renderer/src/format/audit-filter';
import type { AuditEntry } from '../../src/shared/model';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 1,
    at: '2025-03-01T10:00:00.000Z',
    actor: 'ana',
    gateId: 7,
    buildId: 122,
    pipelineName: 'Catalog',
    buildNumber: 122,
    gateName: 'production',
    decision: 'approve',
    comment: 'ship it',
    outcome: 'done',
    serverAnswer: 'Approved: production deploy of build 122 started',
    requestId: 'click-0001',
    ...overrides,
  };
}

/** Splits RFC 4180 text into rows of cells (quotes, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  return rows;
}

describe('the audit trail as CSV', () => {
  it('has a header row and one CRLF-terminated row per entry', () => {
    const csv = auditToCsv([entry(), entry({ id: 2, decision: 'reject', outcome: 'forbidden' })]);
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(csv.startsWith('id,at,actor,pipeline,build,gate,decision,comment,outcome,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[1]).toEqual([
      '1',
      '2025-03-01T10:00:00.000Z',
      'ana',
      'Catalog',
      '122',
      'production',
      'approve',
      'ship it',
      'done',
      'Approved: production deploy of build 122 started',
      'click-0001',
      '7',
      '122',
    ]);
    expect(rows[2]?.[8]).toBe('forbidden');
  });

  it('quotes commas, quotes and newlines so that a comment stays one cell', () => {
    const comment = 'Looks "fine", but:\nwatch the p99\r\nlatency';
    const rows = parseCsv(auditToCsv([entry({ comment })]));
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[7]).toBe(comment);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
  });

  it.each(['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tcmd', '\rcmd'])(
    'defuses the formula %j with a leading quote',
    (text) => {
      const cell = csvCell(text);
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
      expect(parseCsv(`${cell}\r\n`)[0]?.[0]).toBe(`'${text}`);
    },
  );

  it('leaves numbers and ordinary text alone, and writes null as an empty cell', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(122)).toBe('122');
    expect(csvCell('ship it = yes')).toBe('ship it = yes');
    expect(csvCell(null)).toBe('');
    const rows = parseCsv(auditToCsv([entry({ gateId: null, buildId: null })]));
    expect(rows[1]?.slice(-2)).toEqual(['', '']);
  });

  it('exports JSON exactly as the API gives it', () => {
    const entries = [entry(), entry({ id: 2, comment: '=1+1' })];
    expect(JSON.parse(auditToJson(entries))).toEqual(entries);
  });

  it('names files by time, without characters file systems refuse', () => {
    expect(auditFileName('csv', Date.parse('2025-03-01T10:04:05.678Z'))).toBe(
      'pipewatch-audit-2025-03-01T10-04-05Z.csv',
    );
  });
});

describe('filtering the audit trail', () => {
  const entries = [
    entry({ id: 3, decision: 'reject', outcome: 'done', actor: 'bob', comment: 'p99 too high' }),
    entry({ id: 2, outcome: 'already-decided', buildNumber: 121, pipelineName: 'Inventory' }),
    entry({ id: 1 }),
  ];

  it('lets everything through without a filter', () => {
    expect(filterAudit(entries, NO_AUDIT_FILTER)).toEqual(entries);
  });

  it('narrows by decision and by outcome', () => {
    const ids = (filter: Parameters<typeof filterAudit>[1]) =>
      filterAudit(entries, filter).map((found) => found.id);
    expect(ids({ ...NO_AUDIT_FILTER, decision: 'reject' })).toEqual([3]);
    expect(ids({ ...NO_AUDIT_FILTER, outcome: 'done' })).toEqual([3, 1]);
    expect(ids({ ...NO_AUDIT_FILTER, decision: 'approve', outcome: 'done' })).toEqual([1]);
  });

  it('searches every word case-insensitively across who, what and the answer', () => {
    const ids = (text: string) =>
      filterAudit(entries, { ...NO_AUDIT_FILTER, text }).map((found) => found.id);
    expect(ids('BOB')).toEqual([3]);
    expect(ids('inventory #121')).toEqual([2]);
    expect(ids('catalog P99')).toEqual([3]);
    expect(ids('  ')).toEqual([3, 2, 1]);
    expect(ids('nobody')).toEqual([]);
  });
});
