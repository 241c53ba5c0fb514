import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SourceError } from '../source';

/**
 * What a Buildbot source keeps in its state folder. Buildbot has no "reject" for a force-only
 * builder, so a rejection exists only here; approvals are kept too (with the buildset they
 * forced) so the gate shows who approved even before Buildbot lists the forced build. The chain's
 * shape (which builder triggers which) is remembered so that a new check-in shows its stages
 * before they are triggered.
 */

const decisionSchema = z.object({
  pipeline: z.string(),
  /** The check-in: the root builder's build request id (the build's external id). */
  checkIn: z.number().int(),
  gate: z.string(),
  decision: z.enum(['approve', 'reject']),
  actor: z.string(),
  /** Epoch milliseconds. */
  at: z.number(),
  comment: z.string(),
  buildsetId: z.number().int().nullable(),
});
export type GateDecisionRecord = z.infer<typeof decisionSchema>;

const edgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Epoch milliseconds of the newest check-in that showed this trigger. */
  seenAt: z.number(),
});
export type LearnedEdge = z.infer<typeof edgeSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  decisions: z.array(decisionSchema),
  /** Learned triggers per pipeline name. */
  edges: z.record(z.string(), z.array(edgeSchema)),
});
export type BuildbotState = z.infer<typeof stateSchema>;

/** Decisions kept; older ones belong to builds long out of view. */
const MAX_DECISIONS = 2000;

export function emptyBuildbotState(): BuildbotState {
  return { version: 1, decisions: [], edges: {} };
}

export function buildbotStateFile(stateDirectory: string): string {
  return join(stateDirectory, 'buildbot-state.json');
}

/** Reads the state; a missing file is a first run, a corrupt one a clear error. */
export function readBuildbotState(file: string): BuildbotState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyBuildbotState();
    throw new SourceError('server', `Cannot read ${file}: ${(error as Error).message}.`);
  }
  try {
    return stateSchema.parse(JSON.parse(text));
  } catch {
    throw new SourceError(
      'server',
      `${file} (gate decisions kept by Pipewatch) is damaged; repair or delete it.`,
    );
  }
}

/** Writes the state atomically: a crash leaves the old file or the new one, never half of one. */
export function writeBuildbotState(file: string, state: BuildbotState): void {
  const directory = join(file, '..');
  mkdirSync(directory, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const kept: BuildbotState = { ...state, decisions: state.decisions.slice(-MAX_DECISIONS) };
  writeFileSync(temporary, `${JSON.stringify(kept, null, 2)}\n`);
  renameSync(temporary, file);
}

/** The newest decision on one gate of one check-in, if any. */
export function latestDecision(
  decisions: readonly GateDecisionRecord[],
  pipeline: string,
  checkIn: number,
  gate: string,
): GateDecisionRecord | null {
  let found: GateDecisionRecord | null = null;
  for (const record of decisions) {
    if (record.pipeline === pipeline && record.checkIn === checkIn && record.gate === gate) {
      if (!found || record.at >= found.at) found = record;
    }
  }
  return found;
}
