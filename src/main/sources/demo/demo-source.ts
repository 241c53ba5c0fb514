import { userInfo } from 'node:os';
import type { Decision } from '../../../shared/model';
import {
  SourceError,
  type CiSource,
  type FetchedLog,
  type GateDecisionAnswer,
  type GateReading,
  type GateRef,
  type PollContext,
  type PollSnapshot,
  type LogRef,
} from '../source';
import { toBuildSnapshot, type GateDecisionRecord, type ResolvedBuild } from './build-state';
import { CATALOG_PIPELINE, CATALOG_STAGES, GATE_STAGE_ID } from './catalog-pipeline';
import { demoOptionsSchema, type DemoOptions } from './demo-options';
import { demoStateFile, readDemoState, writeDemoState, type DemoState } from './demo-state';
import { createSimulation, type Simulation } from './simulation';
import { renderStepLog } from './step-log';

// The registry takes the whole demo kind from this one module.
export { demoOptionsSchema, type DemoOptions } from './demo-options';

/** What the core gives a demo source. */
export interface DemoSourceSettings {
  /** Validated with `demoOptionsSchema`. */
  readonly options: DemoOptions;
  /** A folder of its own where the demo keeps its state file. */
  readonly stateDirectory: string;
  /** The clock (epoch milliseconds); tests pass a fake one. */
  readonly now?: () => number;
  /** Who approves and rejects in the demo; defaults to the local user. */
  readonly actor?: string;
}

function localUser(): string {
  try {
    return userInfo().username || 'demo-user';
  } catch {
    return 'demo-user';
  }
}

function decisionsByBuild(state: DemoState): Map<number, GateDecisionRecord> {
  return new Map(state.decisions.map((decision) => [decision.build, decision]));
}

function sameNumbers(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/**
 * The demo source: a simulated CI server running the Catalog pipeline, behind the same
 * `CiSource` interface as every real adapter, so the demo exercises the real poller, store and API.
 */
export function createDemoSource(settings: DemoSourceSettings): CiSource {
  // Parsing again is free for validated options and fills defaults should raw ones slip through.
  const options = demoOptionsSchema.parse(settings.options);
  const now = settings.now ?? Date.now;
  const actor = settings.actor ?? localUser();
  const file = demoStateFile(settings.stateDirectory);
  let loaded: { state: DemoState; simulation: Simulation } | null = null;

  /** Loads (or on first run creates) the state; a corrupt file fails every call until fixed. */
  function load(): { state: DemoState; simulation: Simulation } {
    if (loaded) return loaded;
    let state = readDemoState(file);
    if (!state) {
      state = { epoch: now(), decisions: [], openBuilds: [] };
      writeDemoState(file, state);
    }
    loaded = { state, simulation: createSimulation(state.epoch, options) };
    return loaded;
  }

  function save(state: DemoState): void {
    writeDemoState(file, state);
    if (loaded) loaded = { ...loaded, state };
  }

  function findBuild(
    pipelineExternalId: string,
    buildExternalId: string,
    at: number,
  ): ResolvedBuild {
    const { state, simulation } = load();
    const buildNumber = /^\d{1,9}$/.test(buildExternalId) ? Number(buildExternalId) : NaN;
    if (pipelineExternalId !== CATALOG_PIPELINE.externalId || !simulation.exists(buildNumber, at)) {
      throw new SourceError(
        'not-found',
        `The demo server has no build ${buildExternalId} of pipeline ${pipelineExternalId}.`,
      );
    }
    return simulation.resolve(buildNumber, at, decisionsByBuild(state));
  }

  function findGate(gate: GateRef, at: number) {
    const build = findBuild(gate.pipelineExternalId, gate.buildExternalId, at);
    const number = build.plan.number;
    if (gate.gateExternalId !== GATE_STAGE_ID) {
      throw new SourceError('not-found', `Build ${number} has no gate ${gate.gateExternalId}.`);
    }
    if (!build.gate) {
      const why = build.plan.failure ? 'it failed before production' : 'it is still running';
      throw new SourceError(
        'not-found',
        `Build ${number} has not reached the production gate (${why}).`,
      );
    }
    return { number, gate: build.gate };
  }

  return {
    kind: 'demo',
    // The simulated server offers gates and logs only; nothing to re-run or cancel.
    capabilities: [],

    async poll(context: PollContext): Promise<PollSnapshot> {
      const { state, simulation } = load();
      const at = now();
      const selection = simulation.selectForPoll(
        at,
        decisionsByBuild(state),
        state.openBuilds,
        context.knownFinishedBuilds,
      );
      if (!sameNumbers(selection.openBuilds, state.openBuilds)) {
        save({ ...state, openBuilds: selection.openBuilds });
      }
      return {
        pipelines: [{ ...CATALOG_PIPELINE }],
        builds: selection.builds.map((build) => toBuildSnapshot(build, at)),
      };
    },

    // The simulated server is in-process: nothing to reach, one pipeline, no account.
    async testConnection() {
      return { identity: null, pipelines: 1, rateLimit: null };
    },

    async offeredPipelines() {
      return {
        option: null,
        pipelines: [
          {
            value: CATALOG_PIPELINE.externalId,
            name: CATALOG_PIPELINE.name,
            detail: null,
            active: true,
          },
        ],
      };
    },

    async readGate(gateRef: GateRef): Promise<GateReading> {
      const { gate } = findGate(gateRef, now());
      return { state: gate.state, canDecide: true, decidedBy: gate.decision?.actor ?? null };
    },

    async decideGate(
      gateRef: GateRef,
      decision: Decision,
      comment: string,
    ): Promise<GateDecisionAnswer> {
      const at = now();
      const { number, gate } = findGate(gateRef, at);
      const name = `Gate ${GATE_STAGE_ID} of build ${number}`;
      switch (gate.outcome) {
        case 'approved':
        case 'rejected':
          throw new SourceError(
            'server',
            `${name} was already ${gate.outcome} by ${gate.decision?.actor ?? 'someone else'}.`,
          );
        case 'superseded':
          throw new SourceError(
            'server',
            `${name} was superseded by build ${gate.supersededBy ?? 'a newer one'} and can no longer be decided.`,
          );
        case 'expired':
          throw new SourceError(
            'server',
            `${name} expired at ${new Date(gate.expiresAt).toISOString()} and can no longer be decided.`,
          );
        case 'waiting':
          break;
      }
      const { state } = load();
      const record: GateDecisionRecord = { build: number, decision, actor, at, comment };
      save({ ...state, decisions: [...state.decisions, record] });
      return {
        actor,
        message:
          decision === 'approve'
            ? `Approved: production deploy of build ${number} started`
            : `Rejected: build ${number} will not be deployed to production`,
      };
    },

    async fetchLog(stepRef: LogRef): Promise<FetchedLog> {
      const at = now();
      const build = findBuild(stepRef.pipelineExternalId, stepRef.buildExternalId, at);
      const stageIndex = CATALOG_STAGES.findIndex(
        (stage) => stage.externalId === stepRef.stageExternalId,
      );
      const stage = build.stages[stageIndex];
      const step = stage?.steps.find(
        (candidate) => candidate.plan.definition.externalId === stepRef.stepExternalId,
      );
      if (!stage || !step) {
        throw new SourceError(
          'not-found',
          `Build ${build.plan.number} has no step ${stepRef.stageExternalId}/${stepRef.stepExternalId}.`,
        );
      }
      if (step.startAt === null || step.endAt === null || step.startAt > at) {
        throw new SourceError(
          'not-found',
          `Step "${step.plan.definition.name}" of build ${build.plan.number} has not started, so it has no log yet.`,
        );
      }
      return renderStepLog({
        buildNumber: build.plan.number,
        commitSha: build.plan.commitSha,
        commitMessage: build.plan.commitMessage,
        stageExternalId: stage.plan.definition.externalId,
        step: step.plan.definition,
        simulatedSeconds: step.plan.simulatedSeconds,
        startAt: step.startAt,
        endAt: step.endAt,
        fails: step.plan.fails,
        failureScenario: build.plan.failure?.scenario ?? 0,
        now: at,
      });
    },
  };
}
