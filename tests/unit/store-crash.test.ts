import { spawn } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import {
  BUILDS_PER_POLL,
  pollMarker,
  stagesInPoll,
  STEPS_PER_STAGE,
} from './fixtures/store-crash-worker';
import { temporaryFolder } from './fixtures/store-factories';

/**
 * Kills a process that is ingesting polls into the real Store with SIGKILL at random moments
 * (during startup and migration, mid-transaction, between transactions), then reopens the file
 * and checks that SQLite and the store kept their promises: the file is intact, every build
 * holds exactly the stages and steps of one poll, every poll reported as written is there, and
 * resuming re-ingests without duplicates or spurious changes.
 */

const KILLS = 5;
/** Kills land this long at most after the worker's first committed poll. */
const KILL_WINDOW_MS = 150;
/** Node start, bundle load, open and migrate take several hundred milliseconds here. */
const STARTUP_WINDOW_MS = 900;
const PROJECT_ROOT = resolve(__dirname, '../..');

let folder: ReturnType<typeof temporaryFolder>;
let workerScript: string;

beforeAll(async () => {
  folder = temporaryFolder();
  // The bundle keeps better-sqlite3 (a native module) and zod external; this link lets the
  // child resolve them from the temp folder.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(folder.path, 'node_modules'), 'dir');
  workerScript = join(folder.path, 'store-crash-worker.mjs');
  await build({
    input: join(__dirname, 'fixtures/store-crash-worker.ts'),
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    logLevel: 'warn',
    output: { file: workerScript, format: 'esm' },
  });
});
afterAll(() => folder.cleanup());

interface Run {
  /** Polls the worker reported as committed, in order. */
  polls: Array<{ poll: number; changes: number }>;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the worker from `firstPoll` and SIGKILLs it `delayMs` after its first committed poll
 * (or after spawning, with `fromSpawn`).
 */
function runAndKill(
  file: string,
  firstPoll: number,
  delayMs: number,
  fromSpawn = false,
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [workerScript, file, String(firstPoll)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { polls: [], signal: null, stderr: '' };
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    const killLater = (): void => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    if (fromSpawn) killLater();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^poll (\d+) changes (\d+)$/.exec(line);
        if (match) run.polls.push({ poll: Number(match[1]), changes: Number(match[2]) });
      }
      if (run.polls.length > 0) killLater();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      run.signal = signal;
      done(run);
    });
  });
}

/**
 * Opens the file as the app would and checks every build against the poll that wrote it.
 * Returns the newest committed poll, or -1 when no poll was committed yet.
 */
function verifyDatabase(file: string): number {
  if (!existsSync(file)) return -1;
  const db = openDatabase(file);
  try {
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const builds = db
      .prepare('SELECT id, number, poll_id AS pollId FROM builds ORDER BY number')
      .all() as Array<{ id: number; number: number; pollId: string }>;
    if (builds.length === 0) return -1;
    const newest = Math.max(...builds.map((row) => Number(row.pollId.replace('poll-', ''))));

    // Poll p reported builds p+1 … p+30: after poll P, builds 1 … P+30 exist exactly once, and
    // build n was last written by poll min(n-1, P). A half-committed poll would break this.
    expect(builds.map((row) => row.number)).toEqual(
      Array.from({ length: newest + BUILDS_PER_POLL }, (_, index) => index + 1),
    );
    const stages = db.prepare(
      'SELECT id, external_id AS externalId, name FROM stages WHERE build_id = ? ORDER BY position',
    );
    const steps = db.prepare('SELECT name FROM steps WHERE stage_id = ?');
    const needs = db.prepare('SELECT COUNT(*) AS count FROM stage_needs WHERE stage_id = ?');
    for (const row of builds) {
      const poll = Math.min(row.number - 1, newest);
      const marker = `@${pollMarker(poll)}`;
      expect(row.pollId, `build ${row.number}`).toBe(pollMarker(poll));
      const stageRows = stages.all(row.id) as Array<{
        id: number;
        externalId: string;
        name: string;
      }>;
      expect(
        stageRows.map((stage) => stage.name),
        `stages of build ${row.number}`,
      ).toEqual(
        Array.from({ length: stagesInPoll(poll) }, (_, index) => `stage-${index}${marker}`),
      );
      for (const stage of stageRows) {
        const stepNames = (steps.all(stage.id) as Array<{ name: string }>).map((step) => step.name);
        expect(stepNames, `steps of build ${row.number} ${stage.name}`).toHaveLength(
          STEPS_PER_STAGE,
        );
        expect(stepNames.every((name) => name.endsWith(marker))).toBe(true);
        const needCount = (needs.get(stage.id) as { count: number }).count;
        expect(needCount).toBe(stage.externalId === 'stage-0' ? 0 : 1);
      }
    }
    return newest;
  } finally {
    db.close();
  }
}

describe('a poller killed at any moment', () => {
  it('leaves an intact database in which every build comes from one poll, and resumes cleanly', async () => {
    const file = join(folder.path, 'data', 'pipewatch.db');
    const moments: string[] = [];

    // First kill: somewhere in startup — opening, migrating, or the first polls.
    const startupDelay = Math.floor(Math.random() * STARTUP_WINDOW_MS);
    moments.push(`${startupDelay} ms after spawn`);
    const startup = await runAndKill(file, 0, startupDelay, true);
    expect(startup.stderr).toBe('');
    let committed = verifyDatabase(file);
    expect(committed).toBeGreaterThanOrEqual(startup.polls.at(-1)?.poll ?? -1);

    for (let kill = 0; kill < KILLS; kill++) {
      // A poll of 30 builds takes tens of milliseconds, so most kills land inside one.
      const delay = Math.floor(Math.random() * KILL_WINDOW_MS);
      moments.push(`${delay} ms after the first poll`);
      // A restarted poller cannot know whether its last write committed, so it repeats it.
      const resumeFrom = Math.max(committed, 0);
      const run = await runAndKill(file, resumeFrom, delay);

      expect(run.stderr, moments.join(', ')).toBe('');
      expect(run.signal, 'the worker ran until killed').toBe('SIGKILL');
      const [first] = run.polls;
      expect(first?.poll).toBe(resumeFrom);
      if (committed >= 0) {
        expect(first?.changes, 'repeating a committed poll changes nothing').toBe(0);
      }
      const before = committed;
      committed = verifyDatabase(file);
      // Every poll the worker reported as committed survived the kill.
      expect(committed, moments.join(', ')).toBeGreaterThanOrEqual(
        run.polls.at(-1)?.poll ?? before,
      );
    }
    expect(committed, 'at least one poll was committed').toBeGreaterThanOrEqual(0);
  }, 60_000);
});
