import type { GateSnapshot } from '../source';
import type { CoreBuild, WfapiStageDetail } from './jenkins-wire';
import type { RememberedDecision } from './map-build';

/** What one watched job remembers between polls. */
export interface JobMemory {
  /** Older builds were listed once since start (the store keeps them; no need to list again). */
  historyScanned: boolean;
  /** Older builds still to fetch, newest first, with their core API row. */
  backlog: Map<number, CoreBuild>;
  /** Builds beyond wfapi's list that were reported unfinished and must be followed. */
  open: Set<number>;
  /**
   * The newest build wfapi listed in an earlier poll: builds above it that a later list does not
   * show ran while Pipewatch could not look (a server down, a laptop asleep) and are fetched.
   */
  newestListed: number | null;
}

/**
 * What a Jenkins source keeps in memory. Jenkins forgets a decided input (it leaves
 * pendingInputActions), so gates seen waiting are remembered to report how they ended; finished
 * stages' steps never change; running logs are tailed from the last byte offset.
 */
export interface JenkinsMemory {
  jobs: Map<string, JobMemory>;
  /** Gates seen waiting, by build key (`job/number`), until the build finishes. */
  gates: Map<string, GateSnapshot[]>;
  /** Decisions made through Pipewatch, by gate key (`job/number/inputId`). */
  decisions: Map<string, RememberedDecision>;
  /** Steps of finished stages, by `job/number/stageId`. */
  stages: Map<string, WfapiStageDetail>;
  /** Running logs: the text so far and the next byte offset, by log path. */
  tails: Map<string, { text: string; next: number }>;
}

const LIMITS = { gates: 500, decisions: 500, stages: 2000, tails: 20 } as const;

export function createMemory(): JenkinsMemory {
  return {
    jobs: new Map(),
    gates: new Map(),
    decisions: new Map(),
    stages: new Map(),
    tails: new Map(),
  };
}

/** The memory of one job, created on first use. */
export function jobMemory(memory: JenkinsMemory, job: string): JobMemory {
  let found = memory.jobs.get(job);
  if (!found) {
    found = { historyScanned: false, backlog: new Map(), open: new Set(), newestListed: null };
    memory.jobs.set(job, found);
  }
  return found;
}

/** Sets a value in one of the bounded maps, forgetting the oldest entries beyond its limit. */
export function remember<K extends keyof typeof LIMITS>(
  memory: JenkinsMemory,
  which: K,
  key: string,
  value: JenkinsMemory[K] extends Map<string, infer V> ? V : never,
): void {
  const map = memory[which] as Map<string, unknown>;
  map.delete(key);
  map.set(key, value);
  while (map.size > LIMITS[which]) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

export function buildKey(job: string, build: number): string {
  return `${job}/${build}`;
}

export function gateKey(job: string, build: number, inputId: string): string {
  return `${job}/${build}/${inputId}`;
}
