import {
  type DesktopNotification,
  type GateState,
  type NotificationPreferences,
} from '../../shared/model';

export {
  NOTIFICATION_KINDS,
  desktopNotificationSchema,
  notificationPreferencesSchema,
  type DesktopNotification,
  type NotificationKind,
  type NotificationPreferences,
} from '../../shared/model';
import type { Status } from '../../shared/status';

/**
 * Which desktop notifications a poll deserves. Pure: given what Pipewatch remembered after the
 * previous poll and what this poll changed, it returns the notifications and the new memory.
 * Notifications follow state CHANGES only (CCTray's "broken" / "fixed", a gate that starts
 * waiting), so a pipeline that stays red or a gate that keeps waiting never notifies twice,
 * however many polls see it.
 */

/** A build this poll wrote, with what a notification needs to name it. */
export interface ObservedBuild {
  buildId: number;
  pipelineId: number;
  pipelineName: string;
  number: number;
  author: string | null;
  status: Status;
  /** The provider's word for the status ("Unstable"), said instead of "failed". */
  statusDetail?: string | null;
  /** The first failed stage, named in the "turned red" notification. */
  failedStage: string | null;
}

/** A gate this poll added or changed. */
export interface ObservedGate {
  gateId: number;
  state: GateState;
  buildId: number;
  pipelineId: number;
  pipelineName: string;
  buildNumber: number;
  gateName: string;
  environment: string | null;
  author: string | null;
  commitSha: string | null;
}

/** One poll's changes as the rules read them. */
export interface Observation {
  builds: readonly ObservedBuild[];
  gates: readonly ObservedGate[];
  /** Gates that vanished from their build (a store may hand their ids to new gates later). */
  goneGateIds?: readonly number[];
}

/** Red = the newest finished build failed; green = it passed; null = nothing finished yet. */
export type PipelineHealth = 'red' | 'green' | null;

export interface PipelineMemory {
  health: PipelineHealth;
  /** The build that set `health`; an older build finishing later does not change it. */
  buildNumber: number | null;
}

export interface NotificationMemory {
  /** Pipelines seen before; a pipeline's first sighting sets its baseline silently. */
  pipelines: ReadonlyMap<number, PipelineMemory>;
  /** Waiting gates already announced (or already waiting when first seen). */
  announcedGates: ReadonlySet<number>;
}

/** Per-user choices: muted pipelines and "only my builds". */
export const NO_PREFERENCES: NotificationPreferences = { mutedPipelineIds: [], onlyAuthors: [] };

export const EMPTY_MEMORY: NotificationMemory = { pipelines: new Map(), announcedGates: new Set() };

/** The newest finished build of a pipeline, as a store read gives it, for `seedMemory`. */
export interface PipelineBaseline {
  pipelineId: number;
  latestFinished: { number: number; status: Status } | null;
}

/**
 * Memory as of what the store already holds (at start-up), so a restart neither re-announces
 * gates that were waiting before nor misses the first change after it.
 */
export function seedMemory(
  pipelines: readonly PipelineBaseline[],
  waitingGateIds: readonly number[],
): NotificationMemory {
  return {
    pipelines: new Map(
      pipelines.map((pipeline) => [
        pipeline.pipelineId,
        {
          health: pipeline.latestFinished ? healthOf(pipeline.latestFinished.status) : null,
          buildNumber: pipeline.latestFinished?.number ?? null,
        },
      ]),
    ),
    announcedGates: new Set(waitingGateIds),
  };
}

/** Red for a failed build, green for a passed one, null for anything that says neither. */
export function healthOf(status: Status): PipelineHealth {
  if (status === 'failed') return 'red';
  if (status === 'success') return 'green';
  return null;
}

/** Decides the notifications for one poll and what to remember for the next. */
export function planNotifications(
  memory: NotificationMemory,
  observation: Observation,
  preferences: NotificationPreferences = NO_PREFERENCES,
): { notifications: DesktopNotification[]; memory: NotificationMemory } {
  const muted = new Set(preferences.mutedPipelineIds);
  const authors = new Set(preferences.onlyAuthors.map((author) => author.trim().toLowerCase()));
  const wanted = (pipelineId: number, author: string | null): boolean =>
    !muted.has(pipelineId) &&
    (authors.size === 0 || (author !== null && authors.has(author.trim().toLowerCase())));

  const pipelines = new Map(memory.pipelines);
  const announcedGates = new Set(memory.announcedGates);
  const notifications: DesktopNotification[] = [];
  const firstSeen = new Set<number>();
  const mentioned = [
    ...observation.builds.map((build) => build.pipelineId),
    ...observation.gates.map((gate) => gate.pipelineId),
  ];
  for (const pipelineId of mentioned) {
    if (!pipelines.has(pipelineId)) {
      firstSeen.add(pipelineId);
      pipelines.set(pipelineId, { health: null, buildNumber: null });
    }
  }

  for (const [pipelineId, newest] of newestFinishedBuilds(observation.builds)) {
    const before = pipelines.get(pipelineId) ?? { health: null, buildNumber: null };
    if (before.buildNumber !== null && newest.number < before.buildNumber) continue;
    const health = healthOf(newest.status);
    pipelines.set(pipelineId, { health, buildNumber: newest.number });
    if (firstSeen.has(pipelineId) || health === before.health) continue;
    if (!wanted(pipelineId, newest.author)) continue;
    if (health === 'red') notifications.push(failedNotification(newest));
    // Recovery means something: only after red, never from "nothing finished yet".
    if (health === 'green' && before.health === 'red') {
      notifications.push(recoveredNotification(newest));
    }
  }

  for (const gateId of observation.goneGateIds ?? []) announcedGates.delete(gateId);
  for (const gate of uniqueGates(observation.gates)) {
    if (gate.state !== 'waiting') {
      // Forgotten once decided, so the same gate waiting again (a re-run) is news again.
      announcedGates.delete(gate.gateId);
      continue;
    }
    if (announcedGates.has(gate.gateId)) continue;
    announcedGates.add(gate.gateId);
    if (firstSeen.has(gate.pipelineId) || !wanted(gate.pipelineId, gate.author)) continue;
    notifications.push(gateNotification(gate));
  }

  return { notifications, memory: { pipelines, announcedGates } };
}

/** Per pipeline, the highest-numbered build of this poll that passed or failed. */
function newestFinishedBuilds(builds: readonly ObservedBuild[]): Map<number, ObservedBuild> {
  const newest = new Map<number, ObservedBuild>();
  for (const build of builds) {
    if (healthOf(build.status) === null) continue;
    const current = newest.get(build.pipelineId);
    if (current === undefined || build.number >= current.number) {
      newest.set(build.pipelineId, build);
    }
  }
  return newest;
}

/** The last report of each gate wins when one poll lists a gate twice. */
function uniqueGates(gates: readonly ObservedGate[]): ObservedGate[] {
  return [...new Map(gates.map((gate) => [gate.gateId, gate])).values()];
}

function failedNotification(build: ObservedBuild): DesktopNotification {
  const where = build.failedStage ? ` at ${build.failedStage}` : '';
  return {
    kind: 'pipeline-failed',
    title: `${build.pipelineName} is red`,
    body: `Build ${build.number} ${build.statusDetail ? `is ${build.statusDetail.toLowerCase()}` : 'failed'}${where}${build.author ? ` (${build.author})` : ''}.`,
    pipelineId: build.pipelineId,
    buildId: build.buildId,
    gateId: null,
    tag: `pipeline-${build.pipelineId}-health`,
  };
}

function recoveredNotification(build: ObservedBuild): DesktopNotification {
  return {
    kind: 'pipeline-recovered',
    title: `${build.pipelineName} is green again`,
    body: `Build ${build.number} passed.`,
    pipelineId: build.pipelineId,
    buildId: build.buildId,
    gateId: null,
    tag: `pipeline-${build.pipelineId}-health`,
  };
}

function gateNotification(gate: ObservedGate): DesktopNotification {
  const sha = gate.commitSha ? ` (${gate.commitSha.slice(0, 7)})` : '';
  const target = gate.environment ? `deploy to ${gate.environment}` : gate.gateName;
  return {
    kind: 'gate-waiting',
    title: `${gate.pipelineName} build ${gate.buildNumber} is waiting for you`,
    body: `Approve or reject: ${target}${sha}.`,
    pipelineId: gate.pipelineId,
    buildId: gate.buildId,
    gateId: gate.gateId,
    tag: `gate-${gate.gateId}`,
  };
}
