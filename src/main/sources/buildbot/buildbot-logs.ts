import { SourceError, type FetchedLog, type LogRef } from '../source';
import type { BuildbotClient } from './buildbot-client';
import type { BuildbotLog } from './buildbot-wire';
import { logChunkText } from './log-text';

/** Lines per `/contents` request: a million-line log takes twenty requests, not one huge body. */
const LINES_PER_REQUEST = 50_000;

async function logText(client: BuildbotClient, log: BuildbotLog): Promise<string> {
  // HTML logs have no lines to page through; Buildbot's download is the document itself.
  if (log.type === 'h') return client.rawLog(log.logid);
  const total = log.num_lines ?? 0;
  let text = '';
  for (let offset = 0; offset < total; offset += LINES_PER_REQUEST) {
    const content = await client.logLines(log.logid, offset, LINES_PER_REQUEST);
    text += logChunkText(log.type, content);
  }
  return text;
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
  const parts: string[] = [];
  for (const log of logs) {
    const text = await logText(client, log);
    parts.push(logs.length > 1 ? `── ${log.name ?? log.slug ?? 'log'} ──\n${text}` : text);
  }
  return {
    text: parts.join(parts.every((part) => part.endsWith('\n')) ? '' : '\n'),
    complete: logs.every((log) => log.complete !== false),
  };
}
