import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { formatIssuePath } from '../../../shared/config';
import { decisionSchema } from '../../../shared/model';
import { SourceError } from '../source';
import type { GateDecisionRecord } from './build-state';

/**
 * What the demo server remembers between runs: when it first ran (everything else follows from
 * that), the gate decisions people made, and which builds it last reported unfinished. A few
 * hundred bytes of JSON, written whole and atomically; synchronous so that two decisions in the
 * same tick can never interleave their writes.
 */

export const DEMO_STATE_FILE_NAME = 'demo-state.json';

export interface DemoState {
  /** First-run time, epoch milliseconds. */
  readonly epoch: number;
  readonly decisions: readonly GateDecisionRecord[];
  /** Builds the last poll reported unfinished. */
  readonly openBuilds: readonly number[];
}

const storedStateSchema = z
  .object({
    version: z.literal(1),
    epoch: z.iso.datetime(),
    decisions: z.array(
      z
        .object({
          build: z.number().int().positive(),
          decision: decisionSchema,
          actor: z.string().min(1),
          at: z.iso.datetime(),
          comment: z.string(),
        })
        .strict(),
    ),
    openBuilds: z.array(z.number().int().positive()).default([]),
  })
  .strict();

/** Where a source's state lives inside the state folder the core gives it. */
export function demoStateFile(stateDirectory: string): string {
  return join(stateDirectory, DEMO_STATE_FILE_NAME);
}

function corrupt(file: string, detail: string): SourceError {
  return new SourceError(
    'server',
    `The demo state file ${file} is corrupt (${detail}). Fix it, or delete it to start the demo over.`,
  );
}

/**
 * Reads the state; null when the demo never ran here. A file that cannot be understood is an
 * error naming it — never a silent reset that would forget people's decisions.
 */
export function readDemoState(file: string): DemoState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SourceError('server', `Cannot read the demo state file ${file}: ${String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(file, 'not valid JSON');
  }
  const parsed = storedStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
    throw corrupt(file, `${where}${issue?.message ?? 'unexpected content'}`);
  }
  return {
    epoch: Date.parse(parsed.data.epoch),
    decisions: parsed.data.decisions.map((decision) => ({
      ...decision,
      at: Date.parse(decision.at),
    })),
    openBuilds: parsed.data.openBuilds,
  };
}

/** Writes the state atomically: a temporary file, then a rename over the old one. */
export function writeDemoState(file: string, state: DemoState): void {
  const stored: z.input<typeof storedStateSchema> = {
    version: 1,
    epoch: new Date(state.epoch).toISOString(),
    decisions: state.decisions.map((decision) => ({
      ...decision,
      at: new Date(decision.at).toISOString(),
    })),
    openBuilds: [...state.openBuilds],
  };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, 'utf8');
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new SourceError('server', `Cannot write the demo state file ${file}: ${String(error)}`);
  }
}
