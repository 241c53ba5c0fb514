import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { statusSchema } from '../../../shared/status';
import { SourceError } from '../source';
import type { PipelineHistory } from './build-history';

/** The file in the source's state folder that holds the inferred history. */
export const CCTRAY_STATE_FILE_NAME = 'cctray-history.json';

const stageRunSchema = z.object({
  stage: z.string(),
  status: statusSchema,
  attempt: z.number().int().positive(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  webUrl: z.string().nullable(),
  steps: z.array(z.object({ name: z.string(), status: statusSchema })),
});

const pipelineHistorySchema = z.object({
  builds: z.array(
    z.object({
      externalId: z.string(),
      buildKey: z.string().nullable(),
      number: z.number().int(),
      createdAt: z.string(),
      runs: z.array(stageRunSchema),
    }),
  ),
  seen: z.array(
    z.object({ stage: z.string(), labelKey: z.string().nullable(), status: statusSchema }),
  ),
});

const stateSchema = z.object({
  version: z.literal(1),
  // An array, not an object keyed by name: a project may be called "__proto__".
  pipelines: z.array(z.object({ pipeline: z.string(), history: pipelineHistorySchema })),
});

/** Where a cctray source keeps its history inside the folder the core gives it. */
export function cctrayStateFile(stateDirectory: string): string {
  return join(stateDirectory, CCTRAY_STATE_FILE_NAME);
}

/**
 * Reads the remembered history; empty when there is none. A file that cannot be understood is
 * set aside (renamed `.corrupt`) and the history starts over from the feed: builds are keyed by
 * their labels, so starting over re-reports the same builds rather than inventing new ones.
 */
export function readCctrayState(file: string): Map<string, PipelineHistory> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new SourceError(
      'server',
      `Cannot read the cctray history file ${file}: ${String(error)}`,
    );
  }
  let parsed: z.infer<typeof stateSchema> | null;
  try {
    const result = stateSchema.safeParse(JSON.parse(text));
    parsed = result.success ? result.data : null;
  } catch {
    parsed = null;
  }
  if (!parsed) {
    try {
      renameSync(file, `${file}.corrupt`);
    } catch {
      // Cannot set it aside: the next write replaces it anyway.
    }
    return new Map();
  }
  return new Map(parsed.pipelines.map((entry) => [entry.pipeline, entry.history]));
}

/** Writes the history atomically: a temporary file, then a rename over the old one. */
export function writeCctrayState(
  file: string,
  pipelines: ReadonlyMap<string, PipelineHistory>,
): void {
  const stored: z.infer<typeof stateSchema> = {
    version: 1,
    pipelines: [...pipelines].map(([pipeline, history]) => ({ pipeline, history })),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(stored)}\n`, 'utf8');
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new SourceError(
      'server',
      `Cannot write the cctray history file ${file}: ${String(error)}`,
    );
  }
}
