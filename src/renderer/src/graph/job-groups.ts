import type { Stage } from '../../../shared/model';
import type { Status } from '../../../shared/status';

/** A matrix of at least this many jobs is drawn as one node until someone asks for all. */
export const GROUP_FROM = 4;

/** One matrix's jobs drawn as a single node. */
export type JobGroup = {
  /** The group node's id (never a real stage's external id). */
  id: string;
  name: string;
  members: Stage[];
  /** How many members are in each status. */
  counts: Partial<Record<Status, number>>;
};

/**
 * The name a matrix job shares with its siblings: GitHub names them "test (ubuntu, 20)",
 * GitLab's parallel jobs "rspec 3/20". Null for a job that is not part of a matrix.
 */
export function matrixBaseName(name: string): string | null {
  const parenthesised = /^(.+?)\s*\([^()]*\)$/.exec(name);
  if (parenthesised) return parenthesised[1]!;
  const parallel = /^(.+?)\s+\d+\/\d+$/.exec(name);
  return parallel ? parallel[1]! : null;
}

/** The order in which a group's statuses speak for it: any failure first, then what moves. */
const GROUP_STATUS_ORDER: readonly Status[] = [
  'failed',
  'running',
  'waiting',
  'queued',
  'cancelled',
  'unknown',
  'blocked',
  'skipped',
  'success',
];

/** One status for a group: the members' status when they agree, else the most telling one. */
export function groupStatus(statuses: readonly Status[]): Status {
  const first = statuses[0];
  if (first !== undefined && statuses.every((status) => status === first)) return first;
  return GROUP_STATUS_ORDER.find((status) => statuses.includes(status)) ?? 'unknown';
}

function earliest(times: readonly (string | null)[]): string | null {
  const known = times.filter((time): time is string => time !== null).sort();
  return known[0] ?? null;
}

/**
 * Draws each matrix (GROUP_FROM or more jobs with the same base name) as one node, so a
 * 200-job build reads as the handful of stages it really has. Needs pointing at a member point
 * at its group. Pure: builds without matrices come back as they are.
 */
export function groupMatrixJobs(stages: readonly Stage[]): {
  stages: Stage[];
  groups: ReadonlyMap<string, JobGroup>;
  /** The group each grouped stage (by external id) is drawn in. */
  groupOf: ReadonlyMap<string, string>;
} {
  const byBase = new Map<string, Stage[]>();
  for (const stage of stages) {
    const base = matrixBaseName(stage.name);
    if (base !== null) byBase.set(base, [...(byBase.get(base) ?? []), stage]);
  }
  const groups = new Map<string, JobGroup>();
  const groupOf = new Map<string, string>();
  for (const [base, members] of byBase) {
    if (members.length < GROUP_FROM) continue;
    const id = `group:${base}`;
    const counts: Partial<Record<Status, number>> = {};
    for (const member of members) counts[member.status] = (counts[member.status] ?? 0) + 1;
    groups.set(id, { id, name: base, members, counts });
    for (const member of members) groupOf.set(member.externalId, id);
  }
  if (groups.size === 0) return { stages: [...stages], groups, groupOf };

  const mapNeeds = (needs: readonly string[], self: string): string[] => [
    ...new Set(needs.map((need) => groupOf.get(need) ?? need).filter((need) => need !== self)),
  ];
  const drawn: Stage[] = [];
  const placed = new Set<string>();
  for (const stage of stages) {
    const groupId = groupOf.get(stage.externalId);
    if (groupId === undefined) {
      drawn.push({ ...stage, needs: mapNeeds(stage.needs, stage.externalId) });
      continue;
    }
    if (placed.has(groupId)) continue;
    placed.add(groupId);
    const { members, name } = groups.get(groupId)!;
    const finished = members.every((member) => member.finishedAt !== null);
    drawn.push({
      ...members[0]!,
      externalId: groupId,
      name,
      position: Math.min(...members.map((member) => member.position)),
      status: groupStatus(members.map((member) => member.status)),
      startedAt: earliest(members.map((member) => member.startedAt)),
      finishedAt: finished
        ? ([...members.map((member) => member.finishedAt!)].sort().at(-1) ?? null)
        : null,
      webUrl: null,
      isGate: false,
      hasLog: false,
      needs: mapNeeds(
        members.flatMap((member) => member.needs),
        groupId,
      ),
      steps: [],
    });
  }
  return { stages: drawn, groups, groupOf };
}
