import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/shared/config';
import type { HealthState } from '../../src/shared/model';
import { createCore, databasePath } from '../../src/main/core';
import type { Core } from '../../src/main/core-types';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { MINIMUM_INTERVAL_MS } from '../../src/main/poller/schedule';
import {
  FAULT_KINDS,
  startChaosProxy,
  type ChaosProxy,
  type ConcurrencyGauge,
  type FaultKind,
  type ProxiedAnswer,
} from '../support/chaos-proxy';
import { FaultPlan, seededRandom } from '../support/fault-plan';
import { startLivingCi, type LivingCi, type LivingKind } from '../support/living-ci';
import { memory, mostAtOnce, sleep, waitFor } from '../support/soak-kit';

/**
 * The soak: N fake CI servers (GitHub, GitLab, Jenkins, Buildkite, CircleCI, cctray) that keep
 * building, each behind a chaos proxy, polled by the real core and served by the real serve-mode
 * HTTP server while a fixed number of faults is injected. `npm test` runs the fast form (200
 * faults); `npm run soak` (PIPEWATCH_SOAK=long) injects 1,000. PIPEWATCH_SOAK_SEED replays a run.
 */

const LONG = process.env['PIPEWATCH_SOAK'] === 'long';
const SOURCES = Number(process.env['PIPEWATCH_SOAK_SOURCES'] ?? 20);
const FAULTS = Number(process.env['PIPEWATCH_SOAK_FAULTS'] ?? (LONG ? 1000 : 200));
const SEED = Number(process.env['PIPEWATCH_SOAK_SEED'] ?? Date.now() % 2 ** 31);
/** PIPEWATCH_SOAK_KINDS=stall,reset injects only those kinds (to look into one of them). */
const KINDS = (process.env['PIPEWATCH_SOAK_KINDS']?.split(',') ?? [...FAULT_KINDS]) as FaultKind[];
/** Injecting stops here even when fewer faults went in (the test then fails on the count). */
const FAULT_PHASE_LIMIT_MS = LONG ? 600_000 : 90_000;
const MAX_CONCURRENT_POLLS = 4;
const MAX_BACKOFF_SECONDS = 5;
/** Pipewatch gives up on a request after this; a stall holds the connection far longer. */
const REQUEST_TIMEOUT_SECONDS = 2;
const STALL_MS = 30_000;
const TOKEN_VARIABLE = 'PIPEWATCH_SOAK_TOKEN';
/** Timers may fire a millisecond or two early when rounded; nothing else is forgiven. */
const TIMER_TOLERANCE_MS = 15;

/**
 * The health a source must show after a poll that met each fault at its first request — the same
 * for every kind: the cctray feed is XML, but half a feed cut off by garbage ('malformed') or an
 * HTML page ('wrong-content-type') is a bad response to it too, and 4 MB of trailing blanks
 * ('huge') still a valid feed.
 */
const EXPECTED_STATE: Record<FaultKind, HealthState> = {
  'server-error': 'backing-off',
  unavailable: 'backing-off',
  'rate-limited': 'backing-off',
  'secondary-rate-limit': 'backing-off',
  unauthorized: 'auth-failed',
  reset: 'unreachable',
  stall: 'unreachable',
  truncated: 'unreachable',
  malformed: 'bad-response',
  'wrong-content-type': 'bad-response',
  oversized: 'bad-response',
  // Valid answers, only large or from a server whose clock is far off: nothing to report.
  huge: 'ok',
  'clock-skew': 'ok',
};

interface PollEntry {
  at: number;
  fault: FaultKind | null;
  expected: HealthState;
}

interface Rig {
  key: string;
  living: LivingCi;
  proxy: ChaosProxy;
  entries: PollEntry[];
  outcomes: Array<{ state: HealthState; message: string | null; at: number }>;
  /** No request may reach this source before then (the last Retry-After). */
  notBefore: number;
  violations: string[];
  /** Builds the fake reported in answers that reached Pipewatch intact. */
  delivered: Set<string>;
}

function expectedStateOf(answer: ProxiedAnswer): HealthState {
  if (answer.fault) return EXPECTED_STATE[answer.fault.kind];
  // The proxy could not reach its fake (it answers 502 then): an error all the same.
  return answer.status !== null && answer.status >= 500 ? 'backing-off' : 'ok';
}

const folder = mkdtempSync(join(tmpdir(), 'pipewatch-soak-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe(`a soak of ${SOURCES} sources through ${FAULTS} injected faults`, () => {
  it(
    'keeps answering, shows each fault as health, honours backoff and loses no build',
    async () => {
      const random = seededRandom(SEED);
      const plan = new FaultPlan({ target: FAULTS, probability: 0.45, random, kinds: KINDS });
      const requests: ConcurrencyGauge = { current: 0, max: 0 };
      const kinds: LivingKind[] = [
        'github',
        'gitlab',
        'jenkins',
        'buildkite',
        'circleci',
        'cctray',
      ];
      const rigs: Rig[] = [];
      const previousToken = process.env[TOKEN_VARIABLE];
      process.env[TOKEN_VARIABLE] = 'soak-token-0123456789';
      const consoleErrors = vi.spyOn(console, 'error');

      let core: Core | null = null;
      let server: RunningHttpServer | null = null;
      const api = { answered: 0, failed: 0, maxLatencyMs: 0, faultsSeen: 0, running: true };
      let apiLoop: Promise<void> = Promise.resolve();
      try {
        for (let index = 0; index < SOURCES; index += 1) {
          const kind = kinds[index % kinds.length]!;
          const living = await startLivingCi(kind, {
            everyMs: 2500 + Math.floor(random() * 1500),
            durationMs: 3000 + Math.floor(random() * 2000),
            offsetMs: Math.floor(random() * 2000),
          });
          const rig: Rig = {
            key: `${kind}-${index}`,
            living,
            proxy: null as unknown as ChaosProxy,
            entries: [],
            outcomes: [],
            notBefore: 0,
            violations: [],
            delivered: new Set(),
          };
          rig.proxy = await startChaosProxy({
            upstream: living.fake.url,
            stallMs: STALL_MS,
            gauge: () => requests,
            decide: (request) => plan.decide(rig.key, living.isPollEntry(request.path)),
            onAnswer: (answer) => {
              const { arrivedAt, path } = answer.request;
              if (arrivedAt < rig.notBefore - TIMER_TOLERANCE_MS) {
                rig.violations.push(
                  `${path} came ${rig.notBefore - arrivedAt} ms before the server's Retry-After`,
                );
              }
              if (answer.retryAt !== null) rig.notBefore = Math.max(rig.notBefore, answer.retryAt);
              if (living.isPollEntry(path)) {
                rig.entries.push({
                  at: arrivedAt,
                  fault: answer.fault?.kind ?? null,
                  expected: expectedStateOf(answer),
                });
              }
              if (answer.deliveredBody !== null && answer.status === 200) {
                for (const id of living.reportedBuilds(path, answer.deliveredBody))
                  rig.delivered.add(id);
              }
            },
          });
          rigs.push(rig);
        }
        const byKey = new Map(rigs.map((rig) => [rig.key, rig]));

        const config = configSchema.parse({
          sources: rigs.map((rig) => ({
            id: rig.key,
            kind: rig.living.kind,
            name: `Soak ${rig.key}`,
            baseUrl: rig.living.baseUrl(rig.proxy.url),
            token: { env: TOKEN_VARIABLE },
            options: rig.living.options,
          })),
          polling: {
            activeIntervalSeconds: 1,
            idleIntervalSeconds: 5,
            maxBackoffSeconds: MAX_BACKOFF_SECONDS,
            maxConcurrentPolls: MAX_CONCURRENT_POLLS,
            requestTimeoutSeconds: REQUEST_TIMEOUT_SECONDS,
          },
        });
        const dataDir = join(folder, 'data');
        const started = Date.now();
        core = createCore({ config, configPath: null, dataDir });
        core.subscribe((event) => {
          if (event.name !== 'sources/changed') return;
          const { key, health } = event.payload.source;
          if (health.state === 'pending') return;
          byKey
            .get(key)
            ?.outcomes.push({ state: health.state, message: health.message, at: Date.now() });
        });
        server = await startHttpServer({
          core,
          host: '127.0.0.1',
          port: 0,
          token: null,
          staticDir: null,
          log: () => undefined,
        });
        const sourcesUrl = new URL('api/sources', server.url);
        apiLoop = (async () => {
          while (api.running) {
            const sent = Date.now();
            try {
              const response = await fetch(sourcesUrl, { signal: AbortSignal.timeout(5000) });
              const sources = (await response.json()) as Array<{ health: { state: string } }>;
              if (response.status === 200) api.answered += 1;
              else api.failed += 1;
              api.faultsSeen += sources.filter((source) => source.health.state !== 'ok').length;
            } catch {
              api.failed += 1;
            }
            api.maxLatencyMs = Math.max(api.maxLatencyMs, Date.now() - sent);
            // The fakes record every request; the soak needs none of that, only the memory.
            for (const rig of rigs) rig.living.fake.requests.length = 0;
            await sleep(250);
          }
        })();

        // Warm-up: every source polled once without faults, then the memory baseline.
        await waitFor(
          'every source polled once',
          () => rigs.every((rig) => rig.outcomes.length > 0),
          20_000,
        );
        await sleep(3000);
        const before = memory();

        plan.start();
        const faultsFrom = Date.now();
        // Halfway, a second memory figure: flat memory shows as the same figure at half and end.
        await waitFor(
          'half the faults are injected',
          () => plan.injected >= FAULTS / 2,
          FAULT_PHASE_LIMIT_MS,
        ).catch(() => undefined);
        const halfway = memory();
        await waitFor(`${FAULTS} faults are injected`, () => plan.done, FAULT_PHASE_LIMIT_MS).catch(
          () => undefined,
        );
        plan.stop();
        const faultPhaseMs = Date.now() - faultsFrom;
        for (const rig of rigs) rig.living.fake.requests.length = 0;

        // Recovery, then the last builds finish and every source reads them.
        const stoppedAt = Date.now();
        await waitFor(
          'every source is ok again',
          () =>
            rigs.every(
              (rig) => rig.outcomes.at(-1)?.state === 'ok' && rig.outcomes.at(-1)!.at > stoppedAt,
            ),
          30_000,
        );
        const recoveredMs = Date.now() - stoppedAt;
        for (const rig of rigs) rig.living.freeze();
        const frozenAt = Date.now();
        await waitFor(
          'every source has read its finished builds',
          () =>
            rigs.every(
              (rig) =>
                rig.outcomes.filter((outcome) => outcome.at > frozenAt && outcome.state === 'ok')
                  .length >= 2,
            ),
          40_000,
        );
        const after = memory();
        const pollCount = rigs.reduce((sum, rig) => sum + rig.outcomes.length, 0);
        const pollsAtOnce = mostAtOnce(
          rigs.flatMap((rig) =>
            rig.outcomes.map((outcome, index) => ({
              from: rig.entries[index]?.at ?? outcome.at,
              to: outcome.at,
            })),
          ),
        );

        api.running = false;
        await apiLoop;
        await server.close();
        server = null;
        await core.stop();
        core = null;

        // What the store holds, read as the app would after a restart.
        const db = new Database(databasePath(dataDir), { readonly: true });
        const stored = new Map<string, Map<string, string>>();
        let integrity: unknown;
        try {
          integrity = db.pragma('integrity_check', { simple: true });
          const rows = db
            .prepare(
              `SELECT s.key AS source, b.external_id AS build, b.status AS status
               FROM builds b JOIN pipelines p ON p.id = b.pipeline_id JOIN sources s ON s.id = p.source_id`,
            )
            .all() as Array<{ source: string; build: string; status: string }>;
          for (const row of rows) {
            if (!stored.has(row.source)) stored.set(row.source, new Map());
            stored.get(row.source)!.set(row.build, row.status);
          }
        } finally {
          db.close();
        }
        const storedBuilds = [...stored.values()].reduce((sum, builds) => sum + builds.size, 0);

        console.log(
          [
            `soak (${LONG ? 'long' : 'fast'} form, seed ${SEED}): ${SOURCES} sources, ${plan.injected} faults in ${(faultPhaseMs / 1000).toFixed(1)} s`,
            `  by kind: ${FAULT_KINDS.map((kind) => `${kind} ${plan.byKind[kind]}`).join(', ')}; ${plan.skewedRetryDates} Retry-After dates from a skewed server clock; stalls held ${STALL_MS / 1000} s, request timeout ${REQUEST_TIMEOUT_SECONDS} s`,
            `  polls ${pollCount}, at most ${pollsAtOnce} at once (bound ${MAX_CONCURRENT_POLLS}); requests held at the fakes at most ${requests.max}`,
            `  API answered ${api.answered} times, ${api.failed} failures, slowest ${api.maxLatencyMs} ms; it showed a source not ok ${api.faultsSeen} times`,
            `  recovered ${(recoveredMs / 1000).toFixed(1)} s after the last fault; ${storedBuilds} builds stored of ${rigs.reduce((sum, rig) => sum + rig.living.buildCount(), 0)} built`,
            `  RSS ${before.rss.toFixed(1)} → ${halfway.rss.toFixed(1)} (half the faults) → ${after.rss.toFixed(1)} MB; heap after GC ${before.heap.toFixed(1)} → ${halfway.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB; external ${before.external.toFixed(1)} → ${halfway.external.toFixed(1)} → ${after.external.toFixed(1)} MB; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
          ].join('\n'),
        );

        // The faults went in, every kind of them.
        expect(plan.injected).toBe(FAULTS);
        for (const kind of KINDS) expect(plan.byKind[kind], kind).toBeGreaterThan(0);
        if (KINDS.includes('rate-limited') || KINDS.includes('secondary-rate-limit')) {
          expect(plan.skewedRetryDates, 'Retry-After dates from a skewed clock').toBeGreaterThan(0);
        }

        // The server answered its API throughout.
        expect(api.failed).toBe(0);
        expect(api.answered).toBeGreaterThan(faultPhaseMs / 1000);
        expect(api.maxLatencyMs).toBeLessThan(2000);
        expect(api.faultsSeen, 'the API showed sources in trouble').toBeGreaterThan(0);

        // The poller's concurrency bound held, and was used. At the fakes, failed stages' logs
        // (fetched eagerly, one at a time, outside the poller's slots) may add one request.
        expect(pollsAtOnce).toBeLessThanOrEqual(MAX_CONCURRENT_POLLS);
        expect(pollsAtOnce).toBeGreaterThan(1);
        expect(requests.max, (requests.atMax ?? []).join('\n')).toBeLessThanOrEqual(
          MAX_CONCURRENT_POLLS + 1,
        );

        for (const rig of rigs) {
          // Each poll's health is the one its fault calls for (the last poll may have been cut by stop).
          const seen = rig.outcomes.map((outcome) => outcome.state);
          expect(
            rig.entries.length - seen.length,
            `${rig.key}: polls without a health`,
          ).toBeLessThanOrEqual(1);
          expect(rig.entries.length - seen.length).toBeGreaterThanOrEqual(0);
          const mismatch = seen.findIndex((state, index) => state !== rig.entries[index]?.expected);
          expect(
            mismatch,
            mismatch === -1
              ? ''
              : `${rig.key}: poll ${mismatch} met ${rig.entries[mismatch]?.fault ?? 'no fault'} and showed ${seen[mismatch]} (${rig.outcomes[mismatch]?.message}), not ${rig.entries[mismatch]?.expected}`,
          ).toBe(-1);
          expect(rig.outcomes.at(-1)?.state, `${rig.key} ends healthy`).toBe('ok');
          // A 30 s stall is cut by Pipewatch's own request timeout, not by the proxy.
          rig.entries.forEach((entry, index) => {
            if (entry.fault !== 'stall' || !rig.outcomes[index]) return;
            expect(rig.outcomes[index]!.message, `${rig.key}: poll ${index} stalled`).toMatch(
              new RegExp(`no answer within ${REQUEST_TIMEOUT_SECONDS} s`),
            );
          });
          for (const outcome of rig.outcomes) {
            expect(outcome.message ?? '', `${rig.key}: no adapter bug`).not.toMatch(
              /failed unexpectedly/,
            );
          }

          // Backoff: never before the server's Retry-After, never faster than the minimum interval,
          // and a rejected token waits the longest backoff.
          expect(rig.violations, rig.key).toEqual([]);
          rig.entries.forEach((entry, index) => {
            const next = rig.entries[index + 1];
            if (!next) return;
            const gap = next.at - entry.at;
            expect(gap, `${rig.key}: polls ${index} and ${index + 1}`).toBeGreaterThanOrEqual(
              MINIMUM_INTERVAL_MS - TIMER_TOLERANCE_MS,
            );
            if (entry.expected === 'auth-failed') {
              expect(gap, `${rig.key}: the poll after a 401`).toBeGreaterThanOrEqual(
                MAX_BACKOFF_SECONDS * 1000 * 0.9 - TIMER_TOLERANCE_MS,
              );
            }
          });

          // Every build the fake reported while healthy is stored, with the status it ended with.
          const builds = stored.get(rig.key) ?? new Map<string, string>();
          const finals = rig.living.finalStatuses();
          expect(rig.delivered.size, `${rig.key} reported builds`).toBeGreaterThan(0);
          for (const id of rig.delivered) {
            expect(builds.get(id), `${rig.key} build ${id}`).toBe(finals.get(id));
          }
        }
        expect(integrity).toBe('ok');
        expect(
          consoleErrors.mock.calls.filter((call) => String(call[0]).includes('Pipewatch poller')),
        ).toEqual([]);

        // Memory stays flat: what the poller and store keep does not grow with the faults.
        expect(after.heap - before.heap).toBeLessThan(LONG ? 60 : 40);
        // …and once the caches are full, the second half of the faults adds next to nothing.
        expect(after.heap - halfway.heap).toBeLessThan(10);
      } finally {
        api.running = false;
        await apiLoop.catch(() => undefined);
        await server?.close();
        await core?.stop();
        for (const rig of rigs) {
          await rig.proxy?.close();
          await rig.living.fake.close();
        }
        consoleErrors.mockRestore();
        if (previousToken === undefined) delete process.env[TOKEN_VARIABLE];
        else process.env[TOKEN_VARIABLE] = previousToken;
      }
    },
    LONG ? 1_200_000 : 200_000,
  );
});
