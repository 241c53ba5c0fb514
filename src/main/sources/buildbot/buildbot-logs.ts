import { SourceError, logFromPieces, type FetchedLog, type LogRef } from '../source';
import type { BuildbotClient } from './buildbot-client';
import type { BuildbotLog } from './buildbot-wire';
import { logChunkText } from './log-text';

/** Lines per `/contents` request: a million-line log takes twenty requests, not one huge body. */
const LINES_PER_REQUEST = 50_000;

/** A log's text in the pieces it was read in (one per page of lines), never joined here. */
async function logPieces(client: BuildbotClient, log: BuildbotLog): Promise<string[]> {
  // HTML logs have no lines to page through; Buildbot's download is the document itself.
  if (log.type === 'h') return [await client.rawLog(log.logid)];
  const total = log.num_lines ?? 0;
  const pieces: string[] = [];
  for (let offset = 0; offset < total; offset += LINES_PER_REQUEST) {
    const content = await client.logLines(log.logid, offset, LINES_PER_REQUEST);
    pieces.push(logChunkText(log.type, content));
  }
  return pieces;
}

/**
 * A step's logs as plain text: stdio first, then any others (each under its name when there are
 * several). Buildbot keeps logs per step only, so a stage (a whole build) has none of its own.
 */
export async function fetchBuildbotLog(client: BuildbotClient, ref: LogRef): Promise<FetchedLog> {
  if (ref.stepExternalId === null) {
    throw new SourceError(
      'not-found',
      `Buildbot keeps logs per step: open one of the steps of ${ref.stageExternalId}.`,
    );
  }
  const stepId = /^\d{1,12}$/.test(ref.stepExternalId) ? Number(ref.stepExternalId) : NaN;
  if (Number.isNaN(stepId)) {
    throw new SourceError('not-found', `Buildbot has no step ${ref.stepExternalId}.`);
  }
  const logs = (await client.logs(stepId)).sort(
    (left, right) => Number(right.slug === 'stdio') - Number(left.slug === 'stdio'),
  );
  const parts: string[][] = [];
  for (const log of logs) {
    const pieces = await logPieces(client, log);
    parts.push(logs.length > 1 ? [`── ${log.name ?? log.slug ?? 'log'} ──\n`, ...pieces] : pieces);
  }
  // Logs follow each other on lines of their own.
  const separator = parts.every((part) => (part.at(-1) ?? '').endsWith('\n')) ? '' : '\n';
  const pieces = parts.flatMap((part, index) =>
    index === 0 || separator === '' ? part : [separator, ...part],
  );
  return logFromPieces(
    pieces.filter((piece) => piece.length > 0),
    logs.every((log) => log.complete !== false),
  );
}
