import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { GATE_STATES } from '../../src/shared/model';
import { STATUSES } from '../../src/shared/status';
import { SourceError, type BuildSnapshot, type PollSnapshot } from '../../src/main/sources/source';
import { openStore, type Store } from '../../src/main/store/store';
import type { FakeAnswer, FakeHandler, FakeProvider, SeenRequest } from './fake-provider';

/**
 * What every fuzz test asks of a mapper or a poll: it answers something the domain model allows
 * (statuses from the one vocabulary, whole numbers where the model wants them, edges between
 * stages that exist) or it throws a typed `SourceError` — never anything else.
 */

/**
 * How many runs each property gets: 200 in `npm test` (enough to find the obvious, fast enough
 * for every run), more with PIPEWATCH_FUZZ_RUNS (`npm run soak` sets 2,000).
 */
export const FUZZ_RUNS = Number(process.env['PIPEWATCH_FUZZ_RUNS'] ?? 200);

const status = z.enum(STATUSES);
const time = z.string().nullable();
const text = z.string().nullable();
/** A provider's word next to the status: a word when present, never an empty string. */
const statusDetail = z.string().min(1).nullable().optional();

const stepSnapshotSchema = z.strictObject({
  externalId: z.string(),
  number: z.number().int(),
  name: z.string(),
  status,
  statusDetail,
  startedAt: time,
  finishedAt: time,
  hasLog: z.boolean(),
});

const stageSnapshotSchema = z.strictObject({
  externalId: z.string(),
  name: z.string(),
  position: z.number().int(),
  status,
  statusDetail,
  startedAt: time,
  finishedAt: time,
  webUrl: text,
  isGate: z.boolean(),
  needs: z.array(z.string()),
  hasLog: z.boolean(),
  steps: z.array(stepSnapshotSchema),
});

const gateFieldSchema = z.strictObject({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'multiline', 'select', 'boolean', 'password']),
  required: z.boolean(),
  options: z.array(z.string()),
  defaultValue: text,
  hint: text,
});

const gateSnapshotSchema = z.strictObject({
  externalId: z.string(),
  stageExternalId: text,
  name: z.string(),
  environment: text,
  state: z.enum(GATE_STATES),
  canDecide: z.boolean().nullable(),
  approvers: z.array(z.string()),
  waitingSince: time,
  expiresAt: time,
  decidedBy: text,
  decidedAt: time,
  comment: text,
  fields: z.array(gateFieldSchema),
  detail: text,
});

/** A `BuildSnapshot` as the domain model (`src/shared/model.ts`) constrains a stored build. */
export const buildSnapshotSchema = z.strictObject({
  pipelineExternalId: z.string(),
  externalId: z.string(),
  number: z.number().int(),
  attempt: z.number().int().positive(),
  status,
  statusDetail,
  branch: text,
  commitSha: text,
  commitMessage: text,
  author: text,
  trigger: text,
  createdAt: z.string(),
  startedAt: time,
  finishedAt: time,
  webUrl: text,
  stages: z.array(stageSnapshotSchema),
  gates: z.array(gateSnapshotSchema),
});

/** Why a build is not well formed, or null when it is. */
export function buildProblem(build: BuildSnapshot): string | null {
  const parsed = buildSnapshotSchema.safeParse(build);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
  }
  const stageIds = new Set(build.stages.map((stage) => stage.externalId));
  for (const stage of build.stages) {
    const missing = stage.needs.find((need) => !stageIds.has(need));
    if (missing !== undefined)
      return `stage ${stage.externalId} needs a stage "${missing}" the build does not have`;
  }
  for (const gate of build.gates) {
    if (gate.stageExternalId !== null && !stageIds.has(gate.stageExternalId)) {
      return `gate ${gate.externalId} guards a stage "${gate.stageExternalId}" the build does not have`;
    }
  }
  return null;
}

/** Why a poll snapshot is not well formed, or null when it is. */
export function snapshotProblem(snapshot: PollSnapshot): string | null {
  for (const pipeline of snapshot.pipelines) {
    if (typeof pipeline.externalId !== 'string' || typeof pipeline.name !== 'string') {
      return `pipeline ${String(pipeline.externalId)} lacks an id or a name`;
    }
  }
  for (const build of snapshot.builds) {
    const problem = buildProblem(build);
    if (problem) return `build ${build.externalId}: ${problem}`;
  }
  return null;
}

/** How a call ended: a value, a typed SourceError, or anything else (a bug). */
export type Outcome<T> =
  | { kind: 'value'; value: T }
  | { kind: 'typed-error'; error: SourceError }
  | { kind: 'untyped-error'; error: unknown };

export function outcomeOf<T>(call: () => T): Outcome<T> {
  try {
    return { kind: 'value', value: call() };
  } catch (error) {
    return error instanceof SourceError
      ? { kind: 'typed-error', error }
      : { kind: 'untyped-error', error };
  }
}

export async function asyncOutcomeOf<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { kind: 'value', value: await call() };
  } catch (error) {
    return error instanceof SourceError
      ? { kind: 'typed-error', error }
      : { kind: 'untyped-error', error };
  }
}

/** A description of an untyped failure for an assertion message. */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** A store in a temp folder, for "the store accepts whatever the poll answered". */
export function temporaryStore(): { store: Store; sourceId: number; close(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'pipewatch-fuzz-'));
  const store = openStore(join(folder, 'fuzz.db'));
  const sourceId = store.upsertSource({
    key: 'fuzz',
    kind: 'demo',
    name: 'Fuzz',
    baseUrl: null,
    isDemo: false,
  });
  return {
    store,
    sourceId,
    close() {
      store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A `fetch` that answers JSON payloads by path, 404 for anything else; records each URL. */
export function payloadFetch(
  answer: (url: URL, init: RequestInit | undefined) => unknown,
): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const fake = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const body = answer(url, init);
    if (body === undefined) {
      return new Response(JSON.stringify({ message: 'Not Found' }), {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return Object.assign(fake as typeof fetch, { urls });
}

/**
 * A fake provider without a socket: the same routes as `startFakeProvider` (so helpers such as
 * `serveBuildbot` fill it), answered through an injected `fetch`. A fuzz run then costs
 * microseconds per request instead of a loopback round trip.
 */
export function inMemoryProvider(): FakeProvider & { fetch: typeof fetch } {
  const table = new Map<string, FakeHandler>();
  const requests: SeenRequest[] = [];
  const fetchImpl = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const seen: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: typeof init?.body === 'string' ? init.body : '',
    };
    requests.push(seen);
    const handler = table.get(`${seen.method} ${seen.path}`);
    const answer: FakeAnswer = handler
      ? await handler(seen)
      : { status: 404, body: { message: 'Not Found' } };
    if (answer.reset) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const isText = typeof answer.body === 'string';
    const status = answer.status ?? 200;
    const text =
      answer.body === undefined
        ? ''
        : isText
          ? (answer.body as string)
          : JSON.stringify(answer.body);
    return new Response(status === 204 || status === 304 ? null : text, {
      status,
      headers: {
        'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
        ...answer.headers,
      },
    });
  };
  return {
    url: 'http://fake-provider.invalid',
    requests,
    route: (key, handler) => table.set(key, handler),
    close: async () => undefined,
    fetch: fetchImpl as typeof fetch,
  };
}
