import type { Database } from 'better-sqlite3';
import type { BuildSnapshot } from '../../src/main/sources/source';
import { buildContentHash } from '../../src/main/store/content-hash';
import type { Status } from '../../src/shared/status';

/**
 * A stored build read back, row by row, into the snapshot that wrote it. The ingest writes a
 * build's row — with the content hash of the whole snapshot and its poll id — and all of its
 * stages, steps, edges and gates in one transaction; so when the rows hash to the build's
 * `content_hash`, every one of them came from the same poll as the build row.
 */

interface BuildRow {
  id: number;
  number: number;
  attempt: number;
  status: Status;
  statusDetail: string | null;
  branch: string | null;
  commitSha: string | null;
  commitMessage: string | null;
  author: string | null;
  trigger: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  webUrl: string | null;
  contentHash: string;
  pollId: string;
}

const flag = (value: number | null): boolean | null => (value === null ? null : value === 1);

/** Every build of the database whose stored rows do not hash to its `content_hash`. */
export function buildsNotFromOnePoll(db: Database): Array<{ number: number; pollId: string }> {
  const builds = db
    .prepare(
      `SELECT id, number, attempt, status, status_detail AS statusDetail, branch, commit_sha AS commitSha,
              commit_message AS commitMessage, author, "trigger" AS "trigger",
              created_at AS createdAt, started_at AS startedAt, finished_at AS finishedAt,
              web_url AS webUrl, content_hash AS contentHash, poll_id AS pollId
         FROM builds`,
    )
    .all() as BuildRow[];
  const stages = db.prepare(
    `SELECT id, external_id AS externalId, name, position, status,
            status_detail AS statusDetail, started_at AS startedAt,
            finished_at AS finishedAt, web_url AS webUrl, is_gate AS isGate, has_log AS hasLog
       FROM stages WHERE build_id = ? ORDER BY position, id`,
  );
  const needs = db.prepare(
    'SELECT needs_external_id AS need FROM stage_needs WHERE stage_id = ? ORDER BY position',
  );
  const steps = db.prepare(
    `SELECT external_id AS externalId, number, name, status, status_detail AS statusDetail,
            started_at AS startedAt,
            finished_at AS finishedAt, has_log AS hasLog
       FROM steps WHERE stage_id = ? ORDER BY number, id`,
  );
  const gates = db.prepare(
    `SELECT external_id AS externalId, stage_external_id AS stageExternalId, name, environment,
            state, can_decide AS canDecide, approvers_json AS approvers, waiting_since AS waitingSince,
            expires_at AS expiresAt, decided_by AS decidedBy, decided_at AS decidedAt, comment,
            fields_json AS fields, detail
       FROM gates WHERE build_id = ? ORDER BY id`,
  );
  const mismatched: Array<{ number: number; pollId: string }> = [];
  for (const build of builds) {
    const snapshot: BuildSnapshot = {
      pipelineExternalId: '',
      externalId: '',
      number: build.number,
      attempt: build.attempt,
      status: build.status,
      statusDetail: build.statusDetail,
      branch: build.branch,
      commitSha: build.commitSha,
      commitMessage: build.commitMessage,
      author: build.author,
      trigger: build.trigger,
      createdAt: build.createdAt,
      startedAt: build.startedAt,
      finishedAt: build.finishedAt,
      webUrl: build.webUrl,
      stages: (stages.all(build.id) as Array<Record<string, unknown> & { id: number }>).map(
        ({ id, isGate, hasLog, ...stage }) => ({
          ...(stage as Omit<
            BuildSnapshot['stages'][number],
            'isGate' | 'hasLog' | 'needs' | 'steps'
          >),
          isGate: isGate === 1,
          hasLog: hasLog === 1,
          needs: (needs.all(id) as Array<{ need: string }>).map((row) => row.need),
          steps: (steps.all(id) as Array<Record<string, unknown> & { hasLog: number }>).map(
            ({ hasLog: stepHasLog, ...step }) => ({
              ...(step as Omit<BuildSnapshot['stages'][number]['steps'][number], 'hasLog'>),
              hasLog: stepHasLog === 1,
            }),
          ),
        }),
      ),
      gates: (gates.all(build.id) as Array<Record<string, unknown>>).map((gate) => ({
        ...(gate as unknown as BuildSnapshot['gates'][number]),
        canDecide: flag(gate['canDecide'] as number | null),
        approvers: JSON.parse(gate['approvers'] as string) as string[],
        fields: JSON.parse(gate['fields'] as string) as BuildSnapshot['gates'][number]['fields'],
      })),
    };
    if (buildContentHash(snapshot) !== build.contentHash) {
      mismatched.push({ number: build.number, pollId: build.pollId });
    }
  }
  return mismatched;
}
