import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionTest, PipelineOffer, SourceConfig } from '../../shared/config';
import { redact } from '../sources/http/redact';
import { createSource, type SecretLookup } from '../sources/registry';
import { SourceError, type CiSource } from '../sources/source';

/**
 * Settings' "Test connection" and pipeline picker: a throw-away adapter for a source as typed
 * (not yet saved, perhaps with a token not yet stored), asked one question and closed. It keeps
 * its state in a temporary folder so a test never touches a running source's caches.
 */

/** How long a test may take before it counts as unreachable. */
export const PROBE_TIMEOUT_MS = 20_000;

export interface ProbeContext {
  /** Where temporary state folders go (inside the data folder). */
  scratchDirectory: string;
  secrets: SecretLookup;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  timeoutMs?: number;
}

async function withAdapter<T>(
  config: SourceConfig,
  context: ProbeContext,
  ask: (adapter: CiSource, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stateDirectory = join(context.scratchDirectory, `probe-${randomBytes(6).toString('hex')}`);
  mkdirSync(stateDirectory, { recursive: true });
  const controller = new AbortController();
  const timeoutMs = context.timeoutMs ?? PROBE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  let adapter: CiSource | null = null;
  try {
    adapter = createSource(
      { config, stateDirectory, ...(context.now ? { now: context.now } : {}) },
      context.secrets,
      context.env,
    );
    const created = adapter;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new SourceError('unreachable', `no answer within ${Math.round(timeoutMs / 1000)} s`),
        );
      }, timeoutMs);
    });
    return await Promise.race([ask(created, controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
    await Promise.resolve(adapter?.close?.()).catch(() => undefined);
    rmSync(stateDirectory, { recursive: true, force: true });
  }
}

/** The message of a failure, with every secret the probe could have used cut out. */
function failureOf(error: unknown, secrets: readonly string[]): { kind: string; message: string } {
  const kind = error instanceof SourceError ? error.kind : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { kind, message: redact(message, secrets) };
}

/** The token this config would use, for redaction; null when none or unresolvable. */
function tokenOf(config: SourceConfig, context: ProbeContext): string[] {
  const reference = config.token;
  if (!reference) return [];
  try {
    const value =
      'env' in reference
        ? (context.env ?? process.env)[reference.env]
        : context.secrets(reference.secret);
    return value ? [value] : [];
  } catch {
    return [];
  }
}

/** One real request (or one poll) through the adapter: identity, pipelines, rate limit. */
export async function testConnection(
  config: SourceConfig,
  context: ProbeContext,
): Promise<ConnectionTest> {
  const started = Date.now();
  try {
    const probe = await withAdapter(config, context, async (adapter, signal) => {
      if (adapter.testConnection) return adapter.testConnection(signal);
      const snapshot = await adapter.poll({ signal, knownFinishedBuilds: new Set() });
      return {
        identity: null,
        pipelines: snapshot.pipelines.length,
        rateLimit: adapter.rateLimit?.() ?? null,
      };
    });
    return { ok: true, ...probe, durationMs: Date.now() - started };
  } catch (error) {
    const failure = failureOf(error, tokenOf(config, context));
    return { ok: false, errorKind: failure.kind, message: failure.message, issues: [] };
  }
}

/** The pipelines the source offers; throws SourceError (message redacted) when it cannot say. */
export async function offeredPipelines(
  config: SourceConfig,
  context: ProbeContext,
): Promise<PipelineOffer> {
  try {
    return await withAdapter(config, context, async (adapter, signal) => {
      if (adapter.offeredPipelines) return adapter.offeredPipelines(signal);
      const snapshot = await adapter.poll({ signal, knownFinishedBuilds: new Set() });
      return {
        option: null,
        pipelines: snapshot.pipelines.map((pipeline) => ({
          value: pipeline.externalId,
          name: pipeline.name,
          detail: null,
          active: true,
        })),
      };
    });
  } catch (error) {
    const failure = failureOf(error, tokenOf(config, context));
    throw new SourceError(
      error instanceof SourceError ? error.kind : 'bad-response',
      failure.message,
    );
  }
}
