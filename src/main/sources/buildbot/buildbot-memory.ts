import { SourceError } from '../source';
import type { BuildbotClient } from './buildbot-client';
import type { BuildbotOptions, BuildbotPipelineOptions } from './buildbot-options';
import {
  buildbotStateFile,
  readBuildbotState,
  writeBuildbotState,
  type BuildbotState,
} from './buildbot-state';
import type { BuildbotBuild, BuildbotStep } from './buildbot-wire';
import type { ChangeInfo, GateInfo } from './map-check-in';
import { gateFieldsOf } from './map-gate';

/** Finished builds whose steps are kept in memory (they never change). */
const MAX_CACHED_STEPS = 5000;
const MAX_CACHED_CHANGES = 2000;
/** ForceScheduler parameters change only when the master is reconfigured. */
const GATE_INFO_TTL_MS = 10 * 60 * 1000;

function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
  }
}

/**
 * What a Buildbot source remembers between polls: builder names, the steps and changes of
 * finished builds (immutable, so fetched once), gate schedulers, which check-ins it reported, and
 * its state file (gate decisions, learned triggers).
 */
export class BuildbotMemory {
  readonly builderNames = new Map<number, string>();
  readonly builderIds = new Map<string, number>();
  /** Fingerprint of each check-in as last reported, by `finishedBuildKey`. */
  readonly reported = new Map<string, string>();
  /** Check-ins to walk again although finished (Pipewatch just re-ran part of them). */
  readonly rewalk = new Set<string>();
  private readonly steps = new Map<number, BuildbotStep[]>();
  private readonly changes = new Map<number, ChangeInfo | null>();
  private readonly gateInfos = new Map<string, { info: GateInfo; at: number }>();
  private state: BuildbotState | null = null;
  private readonly stateFile: string;

  constructor(
    stateDirectory: string,
    private readonly now: () => number,
  ) {
    this.stateFile = buildbotStateFile(stateDirectory);
  }

  loadState(): BuildbotState {
    this.state ??= readBuildbotState(this.stateFile);
    return this.state;
  }

  saveState(state: BuildbotState): void {
    writeBuildbotState(this.stateFile, state);
    this.state = state;
  }

  /** Builder ids of these names, fetching the builder list when one is unknown (or `again`). */
  async builderIdsFor(
    client: BuildbotClient,
    names: readonly string[],
    signal: AbortSignal | undefined,
    again = false,
  ): Promise<void> {
    if (!again && names.every((name) => this.builderIds.has(name))) return;
    const builders = await client.builders(signal);
    this.builderIds.clear();
    this.builderNames.clear();
    for (const builder of builders) {
      this.builderIds.set(builder.name, builder.builderid);
      this.builderNames.set(builder.builderid, builder.name);
    }
  }

  /** The id of a configured builder; a name Buildbot does not have is a configuration error. */
  builderId(name: string, pipeline: BuildbotPipelineOptions, field: string): number {
    const id = this.builderIds.get(name);
    if (id === undefined) {
      throw new SourceError(
        'not-found',
        `Buildbot has no builder "${name}" (${field} of pipeline "${pipeline.name}"); check the name in its web UI.`,
      );
    }
    return id;
  }

  /** Every builder name the options mention. */
  static builderNamesOf(options: BuildbotOptions): string[] {
    return options.pipelines.flatMap((pipeline) => [
      pipeline.rootBuilder,
      ...pipeline.gates.flatMap((gate) => [gate.builder, gate.after]),
    ]);
  }

  /** Steps of these builds: from memory when finished, else from Buildbot (one request each). */
  async stepsOf(
    client: BuildbotClient,
    builds: readonly BuildbotBuild[],
    signal: AbortSignal | undefined,
  ): Promise<Map<number, BuildbotStep[]>> {
    const result = new Map<number, BuildbotStep[]>();
    for (const build of builds) {
      const known = this.steps.get(build.buildid);
      if (known) {
        result.set(build.buildid, known);
        continue;
      }
      if (signal?.aborted) throw new SourceError('unreachable', 'The poll was cancelled.');
      const steps = await client.steps(build.buildid, signal);
      result.set(build.buildid, steps);
      if (build.complete && steps.every((step) => step.complete)) {
        remember(this.steps, build.buildid, steps, MAX_CACHED_STEPS);
      }
    }
    return result;
  }

  /** The change that started a root build (author and message), fetched once per build. */
  async changeOf(
    client: BuildbotClient,
    build: BuildbotBuild,
    signal: AbortSignal | undefined,
  ): Promise<ChangeInfo | null> {
    if (this.changes.has(build.buildid)) return this.changes.get(build.buildid) ?? null;
    const changes = await client.changes(build.buildid, signal);
    const newest = changes[changes.length - 1];
    const info = newest
      ? { author: newest.author ?? null, message: newest.comments?.trim() || null }
      : null;
    remember(this.changes, build.buildid, info, MAX_CACHED_CHANGES);
    return info;
  }

  /** How a gate builder is forced: the configured or first ForceScheduler listing it. */
  async gateInfoOf(
    client: BuildbotClient,
    builder: string,
    scheduler: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<GateInfo> {
    const cached = this.gateInfos.get(builder);
    if (cached && this.now() - cached.at < GATE_INFO_TTL_MS) return cached.info;
    const builderId = this.builderIds.get(builder);
    const schedulers =
      builderId === undefined ? [] : await client.forceSchedulers(builderId, signal);
    const chosen =
      schedulers.find((candidate) => (scheduler ? candidate.name === scheduler : true)) ?? null;
    const info = { scheduler: chosen?.name ?? null, fields: gateFieldsOf(chosen) };
    this.gateInfos.set(builder, { info, at: this.now() });
    return info;
  }
}
