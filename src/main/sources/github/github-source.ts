import type { HttpStats } from '../http/provider-http';
import type { CiSource } from '../source';
import { GithubActions } from './github-actions';
import { GithubClient } from './github-client';
import { githubOptionsSchema, type GithubOptions } from './github-options';
import { pollGithub } from './github-poll';
import { offerGithubWorkflows, testGithubConnection } from './github-probe';
import type { RateLimitBudget } from './github-rate-limit';
import { RunMemo } from './run-memo';
import { WorkflowFileCache } from './workflow-file-cache';

/** What the core gives a GitHub source. */
export interface GithubSourceSettings {
  /** The source's name, for messages. */
  name: string;
  /** `https://api.github.com`, a GitHub Enterprise Server's `https://HOST/api/v3`, a test server. */
  baseUrl: string;
  /** Validated with `githubOptionsSchema`. */
  options: GithubOptions;
  /** Where the workflow files by commit and the run memo are kept. */
  stateDirectory: string;
  /** The token, resolved at each request; null for public repositories without one. */
  token: () => string | null;
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A GitHub source also tells the UI what its polling costs. */
export interface GithubSource extends CiSource {
  /** The rate-limit budget GitHub reported in its latest answer; null before the first. */
  rateLimit(): RateLimitBudget | null;
  /** Requests made, of which answered 304 (free), and errors. */
  httpStats(): HttpStats;
}

/**
 * The GitHub Actions source: workflows as pipelines, runs as builds, jobs as stages drawn from
 * the workflow file's `needs:`, environments waiting for review as gates.
 */
export function createGithubSource(settings: GithubSourceSettings): GithubSource {
  const options = githubOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const client = new GithubClient({
    baseUrl: settings.baseUrl,
    token: settings.token,
    now,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
  });
  const actions = new GithubActions(client, settings.name);
  const pollDependencies = {
    client,
    options,
    baseUrl: settings.baseUrl,
    memo: RunMemo.inDirectory(settings.stateDirectory),
    workflowFiles: new WorkflowFileCache(settings.stateDirectory),
    now,
  };

  return {
    kind: 'github',
    capabilities: ['rerun-build', 'rerun-failed', 'cancel-build', 'retry-stage'],
    poll: (context) => pollGithub(pollDependencies, context),
    readGate: (gate) => actions.readGate(gate),
    decideGate: (gate, decision, comment) => actions.decideGate(gate, decision, comment),
    fetchLog: (log) => actions.fetchLog(log),
    rerunBuild: (build, scope) => actions.rerunBuild(build, scope),
    cancelBuild: (build) => actions.cancelBuild(build),
    retryStage: (stage) => actions.retryStage(stage),
    rateLimit: () => client.rateLimit(),
    testConnection: (signal) =>
      testGithubConnection(client, options, () => settings.token() !== null, signal),
    offeredPipelines: (signal) => offerGithubWorkflows(client, options, signal),
    httpStats: () => ({ ...client.stats }),
  };
}
