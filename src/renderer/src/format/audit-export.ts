import type { AuditEntry } from '../../../shared/model';

/**
 * The audit trail as files to download. CSV follows RFC 4180 (CRLF rows, quoted cells where
 * needed, quotes doubled) and defuses spreadsheet formulas: a comment such as
 * `=HYPERLINK(...)` typed into a gate decision must not run when someone opens the export.
 */

/** The CSV's columns: header and how each cell is read from an entry. */
export const AUDIT_CSV_COLUMNS: ReadonlyArray<{
  header: string;
  value(entry: AuditEntry): string | number | null;
}> = [
  { header: 'id', value: (entry) => entry.id },
  { header: 'at', value: (entry) => entry.at },
  { header: 'actor', value: (entry) => entry.actor },
  { header: 'pipeline', value: (entry) => entry.pipelineName },
  { header: 'build', value: (entry) => entry.buildNumber },
  { header: 'gate', value: (entry) => entry.gateName },
  { header: 'decision', value: (entry) => entry.decision },
  { header: 'comment', value: (entry) => entry.comment },
  { header: 'outcome', value: (entry) => entry.outcome },
  { header: 'server answer', value: (entry) => entry.serverAnswer },
  { header: 'request id', value: (entry) => entry.requestId },
  { header: 'gate id', value: (entry) => entry.gateId },
  { header: 'build id', value: (entry) => entry.buildId },
];

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula starts defused with a leading `'`, then quoted when it must be. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  // Numbers cannot carry a formula; text can, whatever it looks like.
  const text = typeof value === 'number' ? String(value) : defuseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The entries as CSV text, a header row first, each row ending in CRLF. */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  const rows = [
    AUDIT_CSV_COLUMNS.map((column) => csvCell(column.header)),
    ...entries.map((entry) => AUDIT_CSV_COLUMNS.map((column) => csvCell(column.value(entry)))),
  ];
  return rows.map((cells) => `${cells.join(',')}\r\n`).join('');
}

/** The entries as JSON, exactly as the API gives them (`GET /api/audit`). */
export function auditToJson(entries: readonly AuditEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

/** "pipewatch-audit-2025-03-01T10-00-00Z.csv": sortable, and valid on every file system. */
export function auditFileName(extension: 'csv' | 'json', now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `pipewatch-audit-${stamp}.${extension}`;
}
