import type { Decision } from '../../../shared/model';
import { SourceError, type GateDecisionAnswer, type GateReading, type GateRef } from '../source';
import type { JenkinsClient, PostAnswer } from './jenkins-client';
import { gateKey, remember, type JenkinsMemory } from './jenkins-memory';
import type { PendingInput } from './jenkins-wire';
import { buildPath, jobDisplayName, parseBuildNumber } from './job-path';
import { htmlToText } from './log-text';
import { canDecideInput, HISTORY_GATE_PREFIX, inputSubmitForm, inputSubmitters } from './map-gate';
import { mapNodeStatus, mapRunStatus } from './map-status';

export interface GateSettings {
  client: JenkinsClient;
  memory: JenkinsMemory;
  now: () => number;
}

function buildNumberOf(ref: GateRef): number {
  const number = parseBuildNumber(ref.buildExternalId);
  if (number === null) {
    throw new SourceError('not-found', `"${ref.buildExternalId}" is not a Jenkins build number.`);
  }
  return number;
}

function describe(ref: GateRef, number: number, input?: PendingInput): string {
  const what = input?.message ? `"${input.message}"` : `input ${ref.gateExternalId}`;
  return `${what} on build #${number} of ${jobDisplayName(ref.pipelineExternalId)}`;
}

async function pendingOf(client: JenkinsClient, ref: GateRef, number: number) {
  try {
    return await client.pendingInputs(ref.pipelineExternalId, number);
  } catch (error) {
    if (error instanceof SourceError && error.kind === 'not-found') {
      throw new SourceError(
        'not-found',
        `Jenkins has no build #${number} of ${jobDisplayName(ref.pipelineExternalId)} any more.`,
      );
    }
    throw error;
  }
}

/** Re-reads a gate: still in pendingInputActions means waiting; otherwise how the build went on. */
export async function readJenkinsGate(settings: GateSettings, ref: GateRef): Promise<GateReading> {
  const { client, memory } = settings;
  const number = buildNumberOf(ref);
  const pending = await pendingOf(client, ref, number);
  const input = pending.find((candidate) => candidate.id === ref.gateExternalId);
  if (input) {
    return {
      state: 'waiting',
      canDecide: canDecideInput(inputSubmitters(input), client.userId()),
      decidedBy: null,
    };
  }
  const decision = memory.decisions.get(
    gateKey(ref.pipelineExternalId, number, ref.gateExternalId),
  );
  if (decision) {
    return {
      state: decision.decision === 'approve' ? 'approved' : 'rejected',
      canDecide: false,
      decidedBy: decision.actor,
    };
  }
  const job = ref.pipelineExternalId;
  if (ref.gateExternalId.startsWith(HISTORY_GATE_PREFIX)) {
    // A gate known only by its input step: the step's own outcome tells how it was decided.
    const stepId = ref.gateExternalId.slice(HISTORY_GATE_PREFIX.length);
    const step = await client.nodeDetail(job, number, stepId);
    const status = mapNodeStatus(step.status, false);
    return {
      state: status === 'success' ? 'approved' : 'rejected',
      canDecide: false,
      decidedBy: null,
    };
  }
  // Decided in Jenkins: an aborted build means the input was rejected (or timed out).
  const run = await client.describeRun(job, number);
  return {
    state: mapRunStatus(run.status) === 'cancelled' ? 'rejected' : 'approved',
    canDecide: false,
    decidedBy: null,
  };
}

/**
 * Jenkins answers some refusals with a 200 HTML page rather than a status code (hudson.model
 * Failure); the sentence is what a person needs.
 */
export function jenkinsRefusal(answer: PostAnswer): string | null {
  const text = htmlToText(answer.text).replace(/\s+/g, ' ');
  const refused = /You need to be .*? to (?:submit|cancel) this/.exec(text);
  if (refused) return refused[0];
  if (/already (?:been )?given/.test(text)) return 'This input has already been given.';
  return null;
}

function refusedInWords(error: unknown, what: string, input: PendingInput): unknown {
  if (!(error instanceof SourceError)) return error;
  const approvers = inputSubmitters(input);
  if (error.kind === 'forbidden') {
    const who =
      approvers.length > 0 ? ` or be one of its submitters (${approvers.join(', ')})` : '';
    return new SourceError(
      'forbidden',
      `Jenkins refused the decision on ${what}: you need the job's Build permission${who}.`,
    );
  }
  if (error.kind === 'not-found') {
    return new SourceError(
      'not-found',
      `${what} is no longer waiting: someone decided it in Jenkins, or the build ended.`,
    );
  }
  return error;
}

/**
 * Proceeds (with the input's parameters) or aborts a waiting input, then makes sure Jenkins
 * really moved on — it answers some refusals with a 200 page.
 */
export async function decideJenkinsGate(
  settings: GateSettings,
  ref: GateRef,
  decision: Decision,
  fields: Readonly<Record<string, string>>,
): Promise<GateDecisionAnswer> {
  const { client, memory } = settings;
  const job = ref.pipelineExternalId;
  const number = buildNumberOf(ref);
  const input = (await pendingOf(client, ref, number)).find(
    (candidate) => candidate.id === ref.gateExternalId,
  );
  const what = describe(ref, number, input);
  if (!input) {
    throw new SourceError(
      'not-found',
      `${what} is no longer waiting: someone decided it in Jenkins, or the build ended.`,
    );
  }
  const base = `${buildPath(job, number)}/input/${encodeURIComponent(input.id)}`;
  const parameters = input.inputs ?? [];
  let answer: PostAnswer;
  try {
    if (decision === 'reject') answer = await client.post(`${base}/abort`);
    else if (parameters.length === 0) answer = await client.post(`${base}/proceedEmpty`);
    // `proceed` takes the same form as the input page's submit, without its redirect.
    else answer = await client.post(`${base}/proceed`, inputSubmitForm(input, fields));
  } catch (error) {
    throw refusedInWords(error, what, input);
  }
  const refusal = jenkinsRefusal(answer);
  const still = await pendingOf(client, ref, number).then(
    (pending) => pending.some((candidate) => candidate.id === input.id),
    () => false,
  );
  if (refusal || still) {
    throw new SourceError(
      'forbidden',
      `Jenkins did not take the decision on ${what}${refusal ? `: ${refusal}` : '; it is still waiting.'}`,
    );
  }
  const actor = (await client.whoAmI()) ?? client.userId() ?? 'anonymous';
  remember(memory, 'decisions', gateKey(job, number, input.id), {
    actor,
    at: new Date(settings.now()).toISOString(),
    decision,
  });
  return {
    actor,
    message:
      decision === 'approve'
        ? `Approved ${what}: Jenkins goes on with "${input.proceedText ?? 'Proceed'}".`
        : `Rejected ${what}: Jenkins aborts the build.`,
  };
}
