import { startFakeProvider, type FakeProvider } from './fake-provider';
import { buildkiteRoutes } from './living-buildkite';
import { cctrayRoutes } from './living-cctray';
import { circleciRoutes } from './living-circleci';
import { githubRoutes } from './living-github';
import { gitlabRoutes } from './living-gitlab';
import { jenkinsRoutes } from './living-jenkins';
import { Timeline, type LivingCiOptions } from './living-timeline';
import type { Status } from '../../src/shared/status';

export type { LivingCiOptions } from './living-timeline';

/**
 * Fake CI servers that keep building: a new build every few seconds, each running a few seconds
 * through two or three stages, one in four failing. GitHub Actions, GitLab CI, Jenkins, Buildkite,
 * CircleCI and a cctray feed answer the real example payloads (tests/fixtures/providers; CircleCI's
 * built from its schemas) with ids, numbers, statuses and times changed as the builds progress,
 * with ETags and 304s as the real servers do. The soak test puts these behind the chaos proxy.
 */

export type LivingKind = 'github' | 'gitlab' | 'jenkins' | 'buildkite' | 'circleci' | 'cctray';

export interface LivingCi {
  kind: LivingKind;
  fake: FakeProvider;
  /** The source's `baseUrl` when the fake is reached at `origin` (the proxy's). */
  baseUrl(origin: string): string;
  /** The source's `options`. */
  options: Record<string, unknown>;
  /** Whether a path is the one request every poll opens with (where faults are injected). */
  isPollEntry(path: string): boolean;
  /** Build external ids an answer body (of a request for `path`) reports. */
  reportedBuilds(path: string, body: string): string[];
  /** Stops new builds and finishes the running ones now. */
  freeze(): void;
  /** Every build so far: external id → the status it ends with. */
  finalStatuses(): Map<string, Status>;
  /** How many builds were created. */
  buildCount(): number;
}

/** Starts a fake of `kind` on 127.0.0.1. */
export async function startLivingCi(kind: LivingKind, options: LivingCiOptions): Promise<LivingCi> {
  const timeline = new Timeline(options);
  const fake = await startFakeProvider();
  const base = {
    kind,
    fake,
    freeze: () => timeline.freeze(),
    buildCount: () => timeline.advance().length,
  };
  switch (kind) {
    case 'github':
      return { ...base, ...githubRoutes(fake, timeline) };
    case 'gitlab':
      return { ...base, ...gitlabRoutes(fake, timeline) };
    case 'jenkins':
      return { ...base, ...jenkinsRoutes(fake, timeline) };
    case 'buildkite':
      return { ...base, ...buildkiteRoutes(fake, timeline) };
    case 'circleci':
      return { ...base, ...circleciRoutes(fake, timeline) };
    case 'cctray':
      return { ...base, ...cctrayRoutes(fake, timeline) };
  }
}

/** What each kind's routes add to a living CI. */
export type KindParts = Omit<LivingCi, 'kind' | 'fake' | 'freeze' | 'buildCount'>;
