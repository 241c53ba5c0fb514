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
    ...detail(build),
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
      ...detail(stage),
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
        ...detail(step),
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

/**
 * A status detail only when there is one, so that builds stored before details existed keep
 * their hash and are not all rewritten by the first poll after an upgrade.
 */
function detail(item: { statusDetail?: string | null }): Array<{ statusDetail: string }> {
  return item.statusDetail ? [{ statusDetail: item.statusDetail }] : [];
}
