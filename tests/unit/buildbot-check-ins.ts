import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import type { GateDecisionRecord } from '../../src/main/sources/buildbot/buildbot-state';
import { observeStages, observedEdges } from '../../src/main/sources/buildbot/chain-graph';
import type { TriggerEdge } from '../../src/main/sources/buildbot/chain-template';
import { walkChains } from '../../src/main/sources/buildbot/chain-walk';
import { mapCheckIn, type GateInfo } from '../../src/main/sources/buildbot/map-check-in';
import type { BuildSnapshot } from '../../src/main/sources/source';
import {
  RECORDED_AT,
  builderIdOf,
  clientOf,
  type RecordedMaster,
} from '../support/buildbot-recordings';

/** The Catalog pipeline of tests/integration/buildbot/master.cfg, as a source's options name it. */
export const PIPELINE = buildbotOptionsSchema.parse({
  pipelines: [
    {
      name: 'catalog',
      rootBuilder: 'compile',
      gates: [{ builder: 'production', after: 'slow-tests' }],
    },
  ],
}).pipelines[0] as (typeof buildbotOptionsSchema)['_output']['pipelines'][number];

/**
 * Every check-in of a recorded (maybe altered) master as Pipewatch builds, by request id: walked
 * and mapped the way a poll does, with the triggers learned from all of them.
 */
export async function checkIns(
  master: RecordedMaster,
  settings: { decisions?: GateDecisionRecord[]; learned?: TriggerEdge[]; gate?: GateInfo } = {},
): Promise<Map<string, BuildSnapshot>> {
  const client = clientOf(master);
  const decisions = settings.decisions ?? [];
  const requests = await client.recentRequests(builderIdOf(master, 'compile'), 20);
  const materials = await walkChains(client, {
    roots: requests.map((request) => ({ pipeline: PIPELINE, request })),
    gates: [
      { pipeline: 'catalog', builder: 'production', builderId: builderIdOf(master, 'production') },
    ],
    decisions,
    recentGateRequests: 20,
  });
  const builderNames = new Map(master.builders.map((builder) => [builder.builderid, builder.name]));
  const learned =
    settings.learned ??
    materials.flatMap((material) => observedEdges(observeStages(material, builderNames), PIPELINE));
  const builds = materials.map(
    (material) =>
      mapCheckIn(material, {
        builderNames,
        webRoot: 'http://buildbot.example.org/',
        learnedEdges: learned,
        decisions,
        steps: master.steps,
        change: null,
        predictedNumber: 3,
        gates: new Map([
          ['production', settings.gate ?? { scheduler: 'deploy-production', fields: [] }],
        ]),
        now: RECORDED_AT,
      }).build,
  );
  return new Map(builds.map((build) => [build.externalId, build]));
}
