import { ApiError } from '../../shared/contract';
import type { AuditOutcome, Decision, DecisionResult } from '../../shared/model';
import type { CiSource } from '../sources/source';
import { SourceError } from '../sources/source';
import type { Store } from '../store/store';

/** The audit's actor when neither the server nor an earlier answer says who the token is. */
const UNKNOWN_ACTOR = 'unknown';

export interface DecideRequest {
  gateId: number;
  decision: Decision;
  comment: string;
  requestId: string;
  fields: Readonly<Record<string, string>>;
}

export interface DecideDependencies {
  store: Store;
  sourceFor(sourceKey: string): CiSource | undefined;
  /** Called after a decision so the change shows without waiting for the next scheduled poll. */
  refresh(sourceKey: string): void;
  now(): Date;
}

/**
 * Decides a gate safely: the same requestId never acts twice (double clicks, two windows, a
 * retry after a time-out), the gate is re-read from the CI server right before acting (someone
 * else may have decided, or it expired), and every attempt lands in the audit table with the
 * server's answer in words.
 */
export function createGateDecider(dependencies: DecideDependencies) {
  const inFlight = new Map<string, Promise<DecisionResult>>();
  // Who each source's token belongs to, as its server last said. Attempts the server refused
  // before acting (already decided, forbidden) name no actor; the token's identity is the same.
  const knownActors = new Map<string, string>();

  async function decide(request: DecideRequest): Promise<DecisionResult> {
    const { store } = dependencies;
    const previous = store.findAuditByRequestId(request.requestId);
    const done = previous.find((entry) => entry.outcome === 'done');
    const context = store.getGateContext(request.gateId);
    if (!context) throw new ApiError('not-found', `There is no gate ${request.gateId}.`);
    if (done) {
      return { outcome: 'done', message: done.serverAnswer, gate: context.gate };
    }
    const source = dependencies.sourceFor(context.sourceKey);
    if (!source) {
      throw new ApiError('conflict', `The source of this gate is no longer configured.`);
    }
    const ref = {
      pipelineExternalId: context.pipeline.externalId,
      buildExternalId: context.build.externalId,
      gateExternalId: context.gate.externalId,
    };
    const record = (outcome: AuditOutcome, actor: string, serverAnswer: string): DecisionResult => {
      if (actor !== UNKNOWN_ACTOR) knownActors.set(context.sourceKey, actor);
      store.insertAudit({
        at: dependencies.now().toISOString(),
        actor: actor === UNKNOWN_ACTOR ? (knownActors.get(context.sourceKey) ?? actor) : actor,
        gateId: context.gate.id,
        buildId: context.build.id,
        pipelineName: context.pipeline.name,
        buildNumber: context.build.number,
        gateName: context.gate.name,
        decision: request.decision,
        comment: request.comment,
        outcome,
        serverAnswer,
        requestId: request.requestId,
      });
      dependencies.refresh(context.sourceKey);
      return {
        outcome,
        message: serverAnswer,
        gate: store.getGateContext(request.gateId)?.gate ?? null,
      };
    };

    try {
      const reading = await source.readGate(ref);
      if (reading.state !== 'waiting') {
        const by = reading.decidedBy ? ` by ${reading.decidedBy}` : '';
        return reading.state === 'expired'
          ? record(
              'expired',
              UNKNOWN_ACTOR,
              `Nothing was done: the gate ${context.gate.name} has expired.`,
            )
          : record(
              'already-decided',
              UNKNOWN_ACTOR,
              `Nothing was done: the gate ${context.gate.name} was already ${reading.state}${by}.`,
            );
      }
      if (reading.canDecide === false) {
        return record(
          'forbidden',
          UNKNOWN_ACTOR,
          `You may not decide this gate: you are not a required reviewer for ${context.gate.environment ?? context.gate.name}.`,
        );
      }
      const answer = await source.decideGate(
        ref,
        request.decision,
        request.comment,
        request.fields,
      );
      return record('done', answer.actor, answer.message);
    } catch (error) {
      if (error instanceof SourceError) {
        const outcome: AuditOutcome =
          error.kind === 'forbidden' || error.kind === 'auth' ? 'forbidden' : 'error';
        return record(outcome, UNKNOWN_ACTOR, error.message);
      }
      throw error;
    }
  }

  return {
    /** Concurrent calls with one requestId share a single attempt. */
    decide(request: DecideRequest): Promise<DecisionResult> {
      const running = inFlight.get(request.requestId);
      if (running) return running;
      const attempt = decide(request).finally(() => inFlight.delete(request.requestId));
      inFlight.set(request.requestId, attempt);
      return attempt;
    },
  };
}
