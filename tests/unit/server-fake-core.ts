import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { OPERATION_NAMES, type ApiHandlers, type OperationName } from '../../src/shared/contract';
import type { Build, Pipeline, PipelineSummary } from '../../src/shared/model';
import type { Core, CoreEvent, CoreEventListener } from '../../src/main/core-types';

/** The book's Catalog pipeline as the core would return it: build 121 failed performance tests. */
export function catalogPipeline(): Pipeline {
  return { id: 7, sourceId: 1, externalId: 'catalog', name: 'Catalog', webUrl: null };
}

export function catalogBuild(number = 121): Build {
  return {
    id: number,
    pipelineId: 7,
    externalId: `catalog-${number}`,
    number,
    attempt: 1,
    status: 'failed',
    statusDetail: null,
    branch: 'main',
    commitSha: 'a1b2c3d',
    commitMessage: 'Speed up the price lookup',
    author: 'Ada',
    trigger: 'push',
    createdAt: '2024-05-01T10:00:00Z',
    startedAt: '2024-05-01T10:00:05Z',
    finishedAt: '2024-05-01T10:12:00Z',
    webUrl: null,
  };
}

export function catalogSummary(): PipelineSummary {
  return {
    ...catalogPipeline(),
    sourceName: 'Catalog (demo)',
    sourceKind: 'demo',
    isDemo: true,
    recentBuilds: [
      {
        ...catalogBuild(121),
        stages: [
          {
            id: 1,
            externalId: 'performance-tests',
            name: 'performance-tests',
            position: 3,
            statusDetail: null,
            status: 'failed',
            startedAt: null,
            finishedAt: null,
            isGate: false,
          },
        ],
      },
    ],
    waitingGates: 0,
  };
}

function unexpected(name: OperationName): () => Promise<never> {
  return () => Promise.reject(new Error(`the fake core has no ${name} handler in this test`));
}

/** A core double: records calls, lets a test push events, counts subscribers. */
export interface FakeCore extends Core {
  readonly calls: Array<{ name: OperationName; input: unknown }>;
  emit(event: CoreEvent): void;
  listenerCount(): number;
}

/** A fake core whose handlers are the given ones (others reject) and that records each call. */
export function createFakeCore(handlers: Partial<ApiHandlers> = {}): FakeCore {
  const calls: FakeCore['calls'] = [];
  const listeners = new Set<CoreEventListener>();
  const api = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of OPERATION_NAMES) {
    const handler = (handlers[name] ?? unexpected(name)) as (input: unknown) => Promise<unknown>;
    api[name] = (input) => {
      calls.push({ name, input });
      return handler(input);
    };
  }
  return {
    api: api as unknown as ApiHandlers,
    calls,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
    setVisible: () => undefined,
    stop: () => Promise.resolve(),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/**
 * One HTTP request with full control of the request line and headers (fetch normalizes paths
 * and refuses to set Host), for traversal, rebinding and origin tests.
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: string | Buffer },
): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
