import type { PipelineData } from './map-build';
import { buildNumber } from './map-build';

/**
 * Manual jobs still waiting in an older pipeline when a newer pipeline of the same watched
 * project and ref has reached a job of the same name (waiting there too, or played already): the older candidate is superseded (the
 * approvals inbox should offer the newest one; GitLab's "prevent outdated deployment jobs"
 * setting would refuse to run the older one anyway). Keyed by job id.
 */
export function findSuperseded(
  pipelines: readonly PipelineData[],
): Map<number, { number: number; ref: string }> {
  const newest = new Map<string, PipelineData>();
  const keyOf = (data: PipelineData, jobName: string): string =>
    JSON.stringify([data.watched.externalId, data.pipeline.ref ?? '', jobName]);
  for (const data of pipelines) {
    for (const job of reachedJobs(data)) {
      const key = keyOf(data, job.name);
      const current = newest.get(key);
      if (!current || current.pipeline.id < data.pipeline.id) newest.set(key, data);
    }
  }
  const superseded = new Map<number, { number: number; ref: string }>();
  for (const data of pipelines) {
    for (const job of manualJobs(data)) {
      const winner = newest.get(keyOf(data, job.name));
      if (winner && winner.pipeline.id !== data.pipeline.id) {
        superseded.set(job.id, {
          number: buildNumber(winner.pipeline),
          ref: winner.pipeline.ref ?? '',
        });
      }
    }
  }
  return superseded;
}

function manualJobs(data: PipelineData) {
  return [...data.jobs, ...data.bridges].filter((job) => job.status === 'manual');
}

/** Jobs a pipeline has reached: waiting to be played, or played already. */
function reachedJobs(data: PipelineData) {
  return [...data.jobs, ...data.bridges].filter(
    (job) => job.status === 'manual' || Boolean(job.started_at),
  );
}
