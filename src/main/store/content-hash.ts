import { createHash } from 'node:crypto';
import type { BuildSnapshot } from '../sources/source';

/**
 * A fingerprint of everything a build snapshot says, so the ingest can skip a build that did not
 * change without reading its stages back. Fields are listed explicitly, in a fixed order, so the
 * hash does not depend on the order an adapter happened to build its objects in.
 */
export function buildContentHash(build: BuildSnapshot): string {
  const canonical = [
    build.number,
    build.attempt,
    build.status,
    build.branch,
    build.commitSha,
    build.commitMessage,
    build.author,
    build.trigger,
    build.createdAt,
    build.startedAt,
    build.finishedAt,
    build.webUrl,
    build.stages.map((stage) => [
      stage.externalId,
      stage.name,
      stage.position,
      stage.status,
      stage.startedAt,
      stage.finishedAt,
      stage.webUrl,
      stage.isGate,
      stage.needs,
      stage.hasLog,
      stage.steps.map((step) => [
        step.externalId,
        step.number,
        step.name,
        step.status,
        step.startedAt,
        step.finishedAt,
        step.hasLog,
      ]),
    ]),
    build.gates.map((gate) => [
      gate.externalId,
      gate.stageExternalId,
      gate.name,
      gate.environment,
      gate.state,
      gate.canDecide,
      gate.approvers,
      gate.waitingSince,
      gate.expiresAt,
      gate.decidedBy,
      gate.decidedAt,
      gate.comment,
      gate.fields,
      gate.detail,
    ]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
