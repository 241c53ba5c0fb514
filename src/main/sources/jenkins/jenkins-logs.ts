import { isFinished } from '../../../shared/status';
import { SourceError, type FetchedLog, type LogRef } from '../source';
import type { JenkinsClient } from './jenkins-client';
import { remember, type JenkinsMemory } from './jenkins-memory';
import { buildPath, nodePath, parseBuildNumber } from './job-path';
import { htmlToText } from './log-text';
import { CONSOLE_STAGE_ID } from './map-build';
import { mapNodeStatus } from './map-status';

export interface LogSettings {
  client: JenkinsClient;
  memory: JenkinsMemory;
}

/**
 * Plain text from `logText/progressiveText`, continuing a running log from the byte offset of
 * the last fetch (`X-Text-Size`) while `X-More-Data` says it grows, so a live tail costs only
 * the new bytes.
 */
async function tail(settings: LogSettings, path: string): Promise<FetchedLog> {
  const { client, memory } = settings;
  const held = memory.tails.get(path);
  const chunk = await client.progressive(path, held?.next ?? 0);
  const text = (held?.text ?? '') + chunk.text;
  if (chunk.more) remember(memory, 'tails', path, { text, next: chunk.next });
  else memory.tails.delete(path);
  return { text, complete: !chunk.more };
}

function isNotFound(error: unknown): boolean {
  return error instanceof SourceError && error.kind === 'not-found';
}

/**
 * One step's whole log through its flow node's progressive text. Where that route is missing,
 * wfapi's node log is the fallback: only its last 10 KB, as HTML, and without saying whether the
 * step still runs — so the step's own status decides `complete`.
 */
async function stepLog(
  settings: LogSettings,
  job: string,
  build: number,
  nodeId: string,
): Promise<FetchedLog> {
  const path = `${nodePath(job, build, nodeId)}/log/logText/progressiveText`;
  try {
    return await tail(settings, path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const { client } = settings;
  const summary = await client.nodeLogSummary(job, build, nodeId);
  const node = await client.nodeDetail(job, build, nodeId);
  const text = htmlToText(summary.text ?? '');
  const cut = summary.hasMore
    ? `[Jenkins gave only the last ${summary.length ?? 10240} characters of this step's log; the build's console has all of it.]\n`
    : '';
  return { text: cut + text, complete: isFinished(mapNodeStatus(node.status, true)) };
}

/** A stage's log: its steps' logs one after another, each under its step's name. */
async function stageLog(
  settings: LogSettings,
  job: string,
  build: number,
  stageId: string,
): Promise<FetchedLog> {
  const detail = await settings.client.nodeDetail(job, build, stageId);
  let complete = isFinished(mapNodeStatus(detail.status, true));
  const parts: string[] = [];
  for (const node of detail.stageFlowNodes ?? []) {
    if (!node._links?.log) continue;
    const log = await stepLog(settings, job, build, node.id);
    complete &&= log.complete;
    const argument = node.parameterDescription ? ` (${node.parameterDescription})` : '';
    parts.push(`▶ ${node.name ?? `Step ${node.id}`}${argument}\n${log.text}`);
  }
  return { text: parts.join(parts.length > 0 ? '\n' : ''), complete };
}

/** A step's log, a stage's (its steps' together), or a build's whole console. */
export async function fetchJenkinsLog(settings: LogSettings, ref: LogRef): Promise<FetchedLog> {
  const build = parseBuildNumber(ref.buildExternalId);
  if (build === null) {
    throw new SourceError('not-found', `"${ref.buildExternalId}" is not a Jenkins build number.`);
  }
  const job = ref.pipelineExternalId;
  if (ref.stepExternalId !== null) return stepLog(settings, job, build, ref.stepExternalId);
  if (ref.stageExternalId === CONSOLE_STAGE_ID) {
    return tail(settings, `${buildPath(job, build)}/logText/progressiveText`);
  }
  return stageLog(settings, job, build, ref.stageExternalId);
}
