import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { BuildSnapshot } from '../source';
import type { RememberedGate } from './map-gates';

/** Unfinished runs followed after they left the newest page (a gate waiting for days). */
const MAX_FOLLOWED_RUNS = 50;

/** What Pipewatch knows of one run between polls. */
export interface RunMemoEntry {
  /** `attempt:updated_at`: a new attempt or any change on GitHub changes it. */
  version: string;
  /** Completed on GitHub: nothing changes until a re-run (a new version). */
  finished: boolean;
  /** `owner/name`, to re-read the run once it has left the newest page. */
  repository: string;
  pipelineExternalId: string;
  gates: RememberedGate[];
  /** The last snapshot built for this version (memory only). */
  snapshot?: BuildSnapshot;
}

const rememberedGateSchema = z.object({
  externalId: z.string(),
  environment: z.string(),
  stageExternalId: z.string().nullable(),
  approvers: z.array(z.string()),
  waitingSince: z.string().nullable(),
});

const memoFileSchema = z.object({
  version: z.literal(1),
  runs: z.record(
    z.string(),
    z.object({
      version: z.string(),
      finished: z.boolean(),
      repository: z.string(),
      pipelineExternalId: z.string(),
      gates: z.array(rememberedGateSchema),
    }),
  ),
});

/** The version of a run as GitHub shows it now. */
export function runVersion(
  attempt: number | null | undefined,
  updatedAt: string | null | undefined,
): string {
  return `${attempt ?? 1}:${updatedAt ?? ''}`;
}

/**
 * A small memo per run, keyed by run id: a finished run whose attempt and `updated_at` did not
 * change is not fetched again. Kept on disk (without snapshots) so that a run re-run while
 * Pipewatch was closed is noticed after a restart; a missing or damaged file just costs one
 * fuller poll.
 */
export class RunMemo {
  private readonly entries = new Map<string, RunMemoEntry>();
  private dirty = false;

  constructor(private readonly file: string) {
    this.load();
  }

  static inDirectory(stateDirectory: string): RunMemo {
    return new RunMemo(join(stateDirectory, 'github-runs.json'));
  }

  get(runId: string): RunMemoEntry | undefined {
    return this.entries.get(runId);
  }

  set(runId: string, entry: RunMemoEntry): void {
    const before = this.entries.get(runId);
    if (
      !before ||
      before.version !== entry.version ||
      before.finished !== entry.finished ||
      JSON.stringify(before.gates) !== JSON.stringify(entry.gates)
    ) {
      this.dirty = true;
    }
    this.entries.set(runId, entry);
  }

  /** Unfinished runs of a repository that the newest page no longer shows, newest first. */
  unfinishedBeyond(repository: string, seen: ReadonlySet<string>): string[] {
    return [...this.entries.entries()]
      .filter(([id, entry]) => entry.repository === repository && !entry.finished && !seen.has(id))
      .map(([id]) => id)
      .sort((left, right) => Number(right) - Number(left))
      .slice(0, MAX_FOLLOWED_RUNS);
  }

  /**
   * Forgets runs that are neither on a newest page nor still unfinished, and unfinished ones
   * beyond the newest few (a run stuck for months is not followed forever).
   */
  retain(seen: ReadonlySet<string>): void {
    const followed = [...this.entries.entries()]
      .filter(([id, entry]) => !seen.has(id) && !entry.finished)
      .map(([id]) => id)
      .sort((left, right) => Number(right) - Number(left));
    const kept = new Set(followed.slice(0, MAX_FOLLOWED_RUNS));
    for (const id of [...this.entries.keys()]) {
      if (seen.has(id) || kept.has(id)) continue;
      this.entries.delete(id);
      this.dirty = true;
    }
  }

  forget(runId: string): void {
    if (this.entries.delete(runId)) this.dirty = true;
  }

  /** Writes the memo when it changed (atomically: a crash leaves the old file). */
  save(): void {
    if (!this.dirty) return;
    const runs: z.infer<typeof memoFileSchema>['runs'] = {};
    for (const [id, entry] of this.entries) {
      runs[id] = {
        version: entry.version,
        finished: entry.finished,
        repository: entry.repository,
        pipelineExternalId: entry.pipelineExternalId,
        gates: entry.gates,
      };
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ version: 1, runs }), 'utf8');
    renameSync(partial, this.file);
    this.dirty = false;
  }

  private load(): void {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return;
    }
    const parsed = memoFileSchema.safeParse(raw);
    if (!parsed.success) return;
    for (const [id, entry] of Object.entries(parsed.data.runs)) this.entries.set(id, { ...entry });
  }
}
