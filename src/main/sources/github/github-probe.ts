import type { PipelineOffer } from '../../../shared/config';
import { SourceError, type ConnectionProbe } from '../source';
import type { GithubClient } from './github-client';
import type { GithubOptions } from './github-options';
import { chooseWorkflows } from './github-poll';
import { parseRepository } from './github-refs';

/**
 * Settings' questions to GitHub: "who am I, and what would I watch?" (`GET /user` plus each
 * repository's workflows) and "which workflows could I pick?". Both use the source's own client,
 * so they go through the same token, redaction and rate-limit bookkeeping as polls.
 */

/** What "Test connection" shows for a GitHub source. */
export async function testGithubConnection(
  client: GithubClient,
  options: GithubOptions,
  hasToken: () => boolean,
  signal?: AbortSignal,
): Promise<ConnectionProbe> {
  let identity: string | null = null;
  if (hasToken()) {
    try {
      identity = await client.authenticatedLogin(signal);
    } catch (error) {
      // A GitHub App installation token may not read /user; the workflows below still tell.
      if (!(error instanceof SourceError && error.kind === 'forbidden')) throw error;
    }
  }
  let pipelines = 0;
  for (const repository of options.repositories) {
    const workflows = await client.listWorkflows(parseRepository(repository), signal);
    pipelines += chooseWorkflows(workflows, options.workflows, repository).length;
  }
  return { identity, pipelines, rateLimit: client.rateLimit() };
}

function fileName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * Every workflow of the configured repositories, as picks for `options.workflows` (file names,
 * which the option shares across repositories: `ci.yml` in two repositories is one pick).
 */
export async function offerGithubWorkflows(
  client: GithubClient,
  options: GithubOptions,
  signal?: AbortSignal,
): Promise<PipelineOffer> {
  const byFile = new Map<string, PipelineOffer['pipelines'][number]>();
  for (const repository of options.repositories) {
    for (const workflow of await client.listWorkflows(parseRepository(repository), signal)) {
      const value = fileName(workflow.path);
      const where = `${repository} · ${workflow.path}`;
      const active = (workflow.state ?? 'active') === 'active';
      const seen = byFile.get(value);
      byFile.set(
        value,
        seen
          ? { ...seen, detail: `${seen.detail ?? ''}; ${where}`, active: seen.active || active }
          : { value, name: workflow.name || value, detail: where, active },
      );
    }
  }
  return {
    option: 'workflows',
    pipelines: [...byFile.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
