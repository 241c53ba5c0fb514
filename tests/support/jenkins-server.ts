import { expect } from 'vitest';
import {
  jenkinsOptionsSchema,
  type JenkinsOptions,
} from '../../src/main/sources/jenkins/jenkins-options';
import { createJenkinsSource } from '../../src/main/sources/jenkins/jenkins-source';
import { SourceError, type CiSource, type PollContext } from '../../src/main/sources/source';
import type { FakeProvider } from './fake-provider';
import { JOB, TOKEN, USER } from './jenkins-routes';

/** Helpers for the Jenkins contract tests: a source pointed at a fake Jenkins, and its errors. */
export * from './jenkins-routes';

export function jenkinsSource(
  server: FakeProvider,
  options: Partial<JenkinsOptions> = {},
  token: string | null = TOKEN,
): CiSource {
  return createJenkinsSource({
    baseUrl: `${server.url}/jenkins/`,
    options: jenkinsOptionsSchema.parse({ jobs: [JOB], user: USER, ...options }),
    token: () => token,
    timeoutMs: 2000,
  });
}

export function pollContext(known: readonly string[] = []): PollContext {
  return { signal: new AbortController().signal, knownFinishedBuilds: new Set(known) };
}

/** The SourceError a call fails with; no message may ever carry the token. */
export async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as Error).message).not.toContain(TOKEN);
  expect((error as Error).message).not.toContain(
    Buffer.from(`${USER}:${TOKEN}`).toString('base64'),
  );
  return error as SourceError;
}
