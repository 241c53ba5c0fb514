import type { BuildDetail, InboxItem, PipelineSummary } from '../../shared/model';
import type { ChangeSet, GateContext } from '../store/store';
import {
  healthOf,
  planNotifications,
  seedMemory,
  type DesktopNotification,
  type NotificationMemory,
  type NotificationPreferences,
  type Observation,
  type ObservedBuild,
  type ObservedGate,
  type PipelineBaseline,
} from './notification-rules';

/** The store reads the notifier needs (the real `Store` has them all). */
export interface NotifierStore {
  listPipelineSummaries(buildsPerPipeline: number): PipelineSummary[];
  listInbox(): InboxItem[];
  getBuildDetail(buildId: number): BuildDetail | null;
  getGateContext(gateId: number): GateContext | null;
}

export interface NotifierOptions {
  store: NotifierStore;
  /** Hands one notification to the shells (the core emits it as `notifications/show`). */
  emit(notification: DesktopNotification): void;
  /** Read on every poll, so muting takes effect at once. */
  preferences(): NotificationPreferences;
  /** Where a failure to work out notifications is reported; it never fails the poll. */
  log?: (line: string) => void;
}

export interface Notifier {
  /** Call with every `applySnapshot` result, in poll order. */
  observe(changes: ChangeSet): void;
}

/** Enough recent builds to find the newest finished one behind a few running ones. */
const BASELINE_BUILDS = 25;

/**
 * The notifier the core runs after each poll: reads what a ChangeSet names from the store,
 * lets the pure rules decide, and emits what they return. Its memory starts from the store, so
 * a restart is not a state change.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store } = options;
  let memory: NotificationMemory = seedMemory(
    store.listPipelineSummaries(BASELINE_BUILDS).map(baselineOf),
    store.listInbox().map((item) => item.gate.id),
  );
  return {
    observe(changes) {
      if (changes.changes.length === 0 && changes.gateIds.length === 0) return;
      try {
        const plan = planNotifications(memory, observe(store, changes), options.preferences());
        memory = plan.memory;
        for (const notification of plan.notifications) options.emit(notification);
      } catch (error) {
        options.log?.(`Working out notifications failed: ${(error as Error).message}`);
      }
    },
  };
}

function baselineOf(pipeline: PipelineSummary): PipelineBaseline {
  const finished = pipeline.recentBuilds
    .filter((build) => healthOf(build.status) !== null)
    .sort((a, b) => b.number - a.number)[0];
  return {
    pipelineId: pipeline.id,
    latestFinished: finished ? { number: finished.number, status: finished.status } : null,
  };
}

/** Turns a ChangeSet into what the rules read, skipping ids that no longer resolve. */
function observe(store: NotifierStore, changes: ChangeSet): Observation {
  const builds: ObservedBuild[] = [];
  for (const change of changes.changes) {
    const detail = store.getBuildDetail(change.buildId);
    if (detail === null) continue;
    const failed = [...detail.stages]
      .sort((a, b) => a.position - b.position)
      .find((stage) => stage.status === 'failed');
    builds.push({
      buildId: detail.build.id,
      pipelineId: detail.pipeline.id,
      pipelineName: detail.pipeline.name,
      number: detail.build.number,
      author: detail.build.author,
      status: change.status,
      statusDetail: detail.build.statusDetail,
      failedStage: failed?.name ?? null,
    });
  }
  const gates: ObservedGate[] = [];
  const goneGateIds: number[] = [];
  for (const gateId of changes.gateIds) {
    const context = store.getGateContext(gateId);
    if (context === null) {
      goneGateIds.push(gateId);
      continue;
    }
    gates.push({
      gateId,
      state: context.gate.state,
      buildId: context.build.id,
      pipelineId: context.pipeline.id,
      pipelineName: context.pipeline.name,
      buildNumber: context.build.number,
      gateName: context.gate.name,
      environment: context.gate.environment,
      author: context.build.author,
      commitSha: context.build.commitSha,
    });
  }
  return { builds, gates, goneGateIds };
}
