import type { Decision } from '../../../shared/model';
import {
  SourceError,
  type BuildRef,
  type GateDecisionAnswer,
  type GateReading,
  type GateRef,
} from '../source';
import type { BuildbotGateOptions, BuildbotPipelineOptions } from './buildbot-options';
import { mapMaterial, walkCheckIns, type BuildbotDeps } from './buildbot-poll';
import { propertyValue } from './buildbot-wire';
import { observeStages, type CheckInMaterial } from './chain-graph';
import type { MappedCheckIn } from './map-check-in';
import { forceParameters, gateReason } from './map-gate';

/** One check-in fetched afresh, for a decision or an action. */
export interface ResolvedCheckIn {
  pipeline: BuildbotPipelineOptions;
  material: CheckInMaterial;
  mapped: MappedCheckIn;
}

/** Reads one check-in (its chain and gates, without steps) from Buildbot now. */
export async function resolveCheckIn(deps: BuildbotDeps, ref: BuildRef): Promise<ResolvedCheckIn> {
  const pipeline = deps.options.pipelines.find((item) => item.name === ref.pipelineExternalId);
  const checkIn = /^\d{1,12}$/.test(ref.buildExternalId) ? Number(ref.buildExternalId) : NaN;
  if (!pipeline || Number.isNaN(checkIn)) {
    throw new SourceError(
      'not-found',
      `This Buildbot source has no build ${ref.buildExternalId} of pipeline ${ref.pipelineExternalId}.`,
    );
  }
  const request = await deps.client.buildRequest(checkIn);
  if (!request) {
    throw new SourceError('not-found', `Buildbot has no build request ${checkIn} any more.`);
  }
  const [material] = await walkCheckIns(deps, [{ pipeline, request }], undefined);
  if (!material) throw new SourceError('not-found', `Buildbot has no build request ${checkIn}.`);
  const mapped = await mapMaterial(deps, material, {
    details: false,
    predictedNumber: 0,
    signal: undefined,
  });
  return { pipeline, material, mapped };
}

function gateOptions(pipeline: BuildbotPipelineOptions, name: string): BuildbotGateOptions {
  const gate = pipeline.gates.find((item) => item.builder === name);
  if (!gate) {
    throw new SourceError('not-found', `Pipeline ${pipeline.name} has no gate ${name}.`);
  }
  return gate;
}

function notOpen(resolved: ResolvedCheckIn, gate: BuildbotGateOptions): SourceError {
  const after = resolved.mapped.build.stages.find((stage) => stage.externalId === gate.after);
  const why = after ? `${gate.after} is ${after.status}` : `${gate.after} has not run`;
  return new SourceError(
    'not-found',
    `The ${gate.builder} gate of ${resolved.pipeline.name} #${resolved.mapped.build.number} is not open: ${why}.`,
  );
}

/** The gate as Buildbot (and Pipewatch's memory of rejections) shows it now. */
export async function readBuildbotGate(deps: BuildbotDeps, ref: GateRef): Promise<GateReading> {
  const resolved = await resolveCheckIn(deps, ref);
  const gate = gateOptions(resolved.pipeline, ref.gateExternalId);
  const snapshot = resolved.mapped.build.gates.find((item) => item.externalId === gate.builder);
  if (!snapshot) throw notOpen(resolved, gate);
  return { state: snapshot.state, canDecide: snapshot.canDecide, decidedBy: snapshot.decidedBy };
}

/** The buildset id of a `force` answer: `[bsid, {builderid: brid}]` (3.x) or `{buildsetid}`. */
export function forcedBuildsetId(result: unknown): number | null {
  if (Array.isArray(result) && typeof result[0] === 'number') return result[0];
  const record = result as { buildsetid?: unknown } | null;
  return typeof record?.buildsetid === 'number' ? record.buildsetid : null;
}

/**
 * Forces the gate builder for a check-in: its ForceScheduler, the marker reason, and the revision
 * and properties of the build the gate follows, so the chain continues with the same candidate.
 */
export async function forceGate(
  deps: BuildbotDeps,
  resolved: ResolvedCheckIn,
  gate: BuildbotGateOptions,
  values: Readonly<Record<string, string>>,
): Promise<number | null> {
  const { client, memory } = deps;
  const info = await memory.gateInfoOf(client, gate.builder, gate.scheduler, undefined);
  if (!info.scheduler) {
    throw new SourceError(
      'not-found',
      `No ForceScheduler of this Buildbot lists ${gate.builder}${gate.scheduler ? ` under the name "${gate.scheduler}"` : ''}, so Pipewatch cannot start it.`,
    );
  }
  const after = observeStages(resolved.material, memory.builderNames).get(gate.after);
  const afterBuild = after?.walked.builds[after.walked.builds.length - 1];
  const candidate = afterBuild ? await client.buildWithProperties(afterBuild.buildid) : null;
  const properties: Record<string, unknown> = {};
  for (const name of Object.keys(candidate?.properties ?? {})) {
    properties[name] = candidate ? propertyValue(candidate, name) : undefined;
  }
  const parameters = forceParameters({
    builderId: memory.builderId(gate.builder, resolved.pipeline, 'gates.builder'),
    reason: gateReason(
      resolved.pipeline.name,
      resolved.material.root.request.buildrequestid,
      resolved.mapped.build.number,
      gate.builder,
    ),
    candidateProperties: properties,
    fields: info.fields,
    values,
  });
  try {
    const result = await client.control(
      `/forceschedulers/${encodeURIComponent(info.scheduler)}`,
      'force',
      parameters,
    );
    return forcedBuildsetId(result);
  } catch (error) {
    if (error instanceof SourceError && (error.kind === 'forbidden' || error.kind === 'auth')) {
      const hint =
        client.actor === 'anonymous'
          ? ' Pipewatch acts anonymously: set options.user and the token to a user who may force it.'
          : ` Pipewatch acts as ${client.actor}.`;
      throw new SourceError(error.kind, `${error.message}${hint}`);
    }
    throw error;
  }
}

/**
 * Approves (forces the gate builder) or rejects (remembers the decision: Buildbot has no
 * rejection) a gate that is waiting.
 */
export async function decideBuildbotGate(
  deps: BuildbotDeps,
  ref: GateRef,
  decision: Decision,
  comment: string,
  fields: Readonly<Record<string, string>>,
): Promise<GateDecisionAnswer> {
  const resolved = await resolveCheckIn(deps, ref);
  const gate = gateOptions(resolved.pipeline, ref.gateExternalId);
  const snapshot = resolved.mapped.build.gates.find((item) => item.externalId === gate.builder);
  const title = `${resolved.pipeline.name} #${resolved.mapped.build.number}`;
  if (!snapshot) throw notOpen(resolved, gate);
  if (snapshot.state !== 'waiting') {
    const by = snapshot.decidedBy ? ` by ${snapshot.decidedBy}` : '';
    throw new SourceError(
      'server',
      `The ${gate.builder} gate of ${title} was already ${snapshot.state}${by}.`,
    );
  }
  const buildsetId = decision === 'approve' ? await forceGate(deps, resolved, gate, fields) : null;
  const actor = deps.client.actor;
  const state = deps.memory.loadState();
  deps.memory.saveState({
    ...state,
    decisions: [
      ...state.decisions,
      {
        pipeline: resolved.pipeline.name,
        checkIn: resolved.material.root.request.buildrequestid,
        gate: gate.builder,
        decision,
        actor,
        at: deps.now(),
        comment,
        buildsetId,
      },
    ],
  });
  const message =
    decision === 'approve'
      ? `Approved: Buildbot forced ${gate.builder} for ${title}${buildsetId === null ? '' : ` (buildset ${buildsetId})`}.`
      : `Rejected: ${gate.builder} will not be forced for ${title}. Buildbot has no rejection, so Pipewatch keeps this decision.`;
  return { actor, message };
}
