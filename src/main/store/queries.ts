import type { Database, Statement } from 'better-sqlite3';
import type {
  Build,
  BuildDetail,
  BuildSummary,
  Gate,
  InboxItem,
  Pipeline,
  PipelineSummary,
  Stage,
  StageSummary,
  Step,
} from '../../shared/model';
import type { Status } from '../../shared/status';
import {
  buildColumns,
  gateColumns,
  pipelineColumns,
  stageColumns,
  stepColumns,
  toBuild,
  toGate,
  toPipeline,
  toSourceKind,
  toStageSummary,
  toStep,
  type BuildRow,
  type GateRow,
  type PipelineRow,
  type StageRow,
  type StepRow,
} from './rows';

/** A page of a pipeline's builds, newest first; `before` pages back by build number. */
export interface BuildListQuery {
  pipelineId: number;
  limit: number;
  /** Only builds numbered lower than this. */
  before?: number;
  branch?: string;
  status?: Status;
}

/** Everything needed to act on a gate at its source. */
export interface GateContext {
  gate: Gate;
  build: Build;
  pipeline: Pipeline;
  sourceId: number;
  sourceKey: string;
}

/** Everything needed to fetch a step's log from its source. */
export interface StageContext {
  stage: StageSummary & { hasLog: boolean };
  build: Build;
  pipeline: Pipeline;
  sourceKey: string;
}

export interface StepContext {
  step: Step;
  stageExternalId: string;
  build: Build;
  pipeline: Pipeline;
  sourceKey: string;
}

type PipelineWithSourceRow = PipelineRow & {
  sourceName: string;
  sourceKind: string;
  sourceKey: string;
  isDemo: number;
};

/**
 * The read side: every query returns the contract types of `src/shared/model.ts`, built with a
 * handful of indexed statements per call (never one statement per stage).
 */
export class QueryRepository {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly buildListStatements = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    this.statements = prepareStatements(db);
  }

  /** Every pipeline with its newest builds (newest first) and its count of waiting gates. */
  listPipelineSummaries(buildsPerPipeline: number): PipelineSummary[] {
    const pipelines = this.statements.pipelines.all() as PipelineWithSourceRow[];
    const waiting = new Map(
      (this.statements.waitingGateCounts.all() as Array<{ pipelineId: number; count: number }>).map(
        (row) => [row.pipelineId, row.count],
      ),
    );
    const recent = pipelines.map(
      (pipeline) =>
        this.statements.recentBuilds.all(pipeline.id, Math.max(0, buildsPerPipeline)) as BuildRow[],
    );
    const summaries = this.withStages(recent.flat());
    const byPipeline = new Map<number, BuildSummary[]>();
    for (const summary of summaries) {
      const list = byPipeline.get(summary.pipelineId) ?? [];
      list.push(summary);
      byPipeline.set(summary.pipelineId, list);
    }
    return pipelines.map((row) => ({
      ...toPipeline(row),
      sourceName: row.sourceName,
      sourceKind: toSourceKind(row.sourceKind),
      isDemo: row.isDemo === 1,
      recentBuilds: byPipeline.get(row.id) ?? [],
      waitingGates: waiting.get(row.id) ?? 0,
    }));
  }

  /** Builds of one pipeline, newest first (by number, then id), with their stages. */
  listBuilds(query: BuildListQuery): BuildSummary[] {
    const filters: Array<'before' | 'branch' | 'status'> = [];
    if (query.before !== undefined) filters.push('before');
    if (query.branch !== undefined) filters.push('branch');
    if (query.status !== undefined) filters.push('status');
    const parameters: Record<string, number | string> = {
      pipelineId: query.pipelineId,
      limit: Math.max(0, query.limit),
    };
    if (query.before !== undefined) parameters.before = query.before;
    if (query.branch !== undefined) parameters.branch = query.branch;
    if (query.status !== undefined) parameters.status = query.status;
    return this.withStages(this.buildListStatement(filters).all(parameters) as BuildRow[]);
  }

  /** One build with its graph: stages by position, each with its steps and needs; its gates. */
  getBuildDetail(buildId: number): BuildDetail | null {
    const buildRow = this.statements.build.get(buildId) as BuildRow | undefined;
    if (buildRow === undefined) return null;
    const pipeline = this.pipeline(buildRow.pipelineId);
    if (pipeline === null) return null;
    const steps = groupBy(
      (this.statements.buildSteps.all(buildId) as StepRow[]).map(toStep),
      (step) => step.stageId,
    );
    const needs = groupBy(
      this.statements.buildNeeds.all(buildId) as Array<{ stageId: number; needed: string }>,
      (row) => row.stageId,
    );
    const stages = (this.statements.buildStages.all(buildId) as StageRow[]).map((row): Stage => ({
      ...toStageSummary(row),
      buildId: row.buildId,
      webUrl: row.webUrl,
      needs: (needs.get(row.id) ?? []).map((need) => need.needed),
      hasLog: row.hasLog === 1,
      steps: steps.get(row.id) ?? [],
    }));
    const gates = (this.statements.buildGates.all(buildId) as GateRow[]).map(toGate);
    return { build: toBuild(buildRow), pipeline: toPipeline(pipeline), stages, gates };
  }

  /** Gates waiting for a decision, newest first, with the stages their build passed. */
  listInbox(): InboxItem[] {
    const items: InboxItem[] = [];
    for (const gateRow of this.statements.waitingGates.all() as GateRow[]) {
      const buildRow = this.statements.build.get(gateRow.buildId) as BuildRow | undefined;
      const pipeline = buildRow === undefined ? null : this.pipeline(buildRow.pipelineId);
      if (buildRow === undefined || pipeline === null) continue;
      items.push({
        gate: toGate(gateRow),
        pipeline: toPipeline(pipeline),
        sourceName: pipeline.sourceName,
        isDemo: pipeline.isDemo === 1,
        build: toBuild(buildRow),
        passedStages: (this.statements.passedStages.all(buildRow.id) as StageRow[]).map(
          toStageSummary,
        ),
      });
    }
    return items;
  }

  /** A gate with its build, pipeline and source, for deciding it on the server. */
  getGateContext(gateId: number): GateContext | null {
    const gateRow = this.statements.gate.get(gateId) as GateRow | undefined;
    if (gateRow === undefined) return null;
    const buildRow = this.statements.build.get(gateRow.buildId) as BuildRow | undefined;
    const pipeline = buildRow === undefined ? null : this.pipeline(buildRow.pipelineId);
    if (buildRow === undefined || pipeline === null) return null;
    return {
      gate: toGate(gateRow),
      build: toBuild(buildRow),
      pipeline: toPipeline(pipeline),
      sourceId: pipeline.sourceId,
      sourceKey: pipeline.sourceKey,
    };
  }

  /** A step with its stage's external id, build, pipeline and source, for fetching its log. */
  getStepContext(stepId: number): StepContext | null {
    const stepRow = this.statements.step.get(stepId) as
      (StepRow & { stageExternalId: string; buildId: number }) | undefined;
    if (stepRow === undefined) return null;
    const buildRow = this.statements.build.get(stepRow.buildId) as BuildRow | undefined;
    const pipeline = buildRow === undefined ? null : this.pipeline(buildRow.pipelineId);
    if (buildRow === undefined || pipeline === null) return null;
    return {
      step: toStep(stepRow),
      stageExternalId: stepRow.stageExternalId,
      build: toBuild(buildRow),
      pipeline: toPipeline(pipeline),
      sourceKey: pipeline.sourceKey,
    };
  }

  /** A stage with what it takes to fetch its log or act on it at its source. */
  getStageContext(stageId: number): StageContext | null {
    const stageRow = this.statements.stage.get(stageId) as StageRow | undefined;
    if (stageRow === undefined) return null;
    const buildRow = this.statements.build.get(stageRow.buildId) as BuildRow | undefined;
    const pipeline = buildRow === undefined ? null : this.pipeline(buildRow.pipelineId);
    if (buildRow === undefined || pipeline === null) return null;
    return {
      stage: { ...toStageSummary(stageRow), hasLog: stageRow.hasLog === 1 },
      build: toBuild(buildRow),
      pipeline: toPipeline(pipeline),
      sourceKey: pipeline.sourceKey,
    };
  }

  /** Whether any stored build of the source is queued, running or waiting (poll faster). */
  anyActive(sourceId: number): boolean {
    const row = this.statements.anyActive.get(sourceId) as { active: number };
    return row.active === 1;
  }

  /**
   * One statement per combination of filters, prepared on first use: with `(? IS NULL OR …)`
   * conditions instead, SQLite could not pick the branch or status index.
   */
  private buildListStatement(filters: ReadonlyArray<'before' | 'branch' | 'status'>): Statement {
    const key = filters.join('+');
    let statement = this.buildListStatements.get(key);
    if (statement === undefined) {
      const conditions = filters.map((filter) => BUILD_FILTERS[filter]);
      statement = this.db.prepare(
        `SELECT ${buildColumns('b')} FROM builds b
          WHERE ${['b.pipeline_id = @pipelineId', ...conditions].join(' AND ')}
          ORDER BY b.number DESC, b.id DESC LIMIT @limit`,
      );
      this.buildListStatements.set(key, statement);
    }
    return statement;
  }

  /** The config id of the source a pipeline belongs to. */
  sourceKeyOfPipeline(pipelineId: number): string | null {
    return this.pipeline(pipelineId)?.sourceKey ?? null;
  }

  private pipeline(pipelineId: number): PipelineWithSourceRow | null {
    return (this.statements.pipeline.get(pipelineId) as PipelineWithSourceRow | undefined) ?? null;
  }

  /** Attaches stages to builds with one query for all of them. */
  private withStages(rows: BuildRow[]): BuildSummary[] {
    if (rows.length === 0) return [];
    const stages = groupBy(
      this.statements.stagesOfBuilds.all(JSON.stringify(rows.map((row) => row.id))) as StageRow[],
      (row) => row.buildId,
    );
    return rows.map((row) => ({
      ...toBuild(row),
      stages: (stages.get(row.id) ?? []).map(toStageSummary),
    }));
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

const BUILD_FILTERS = {
  before: 'b.number < @before',
  branch: 'b.branch = @branch',
  status: 'b.status = @status',
} as const;

const PIPELINE_WITH_SOURCE = `
  SELECT ${pipelineColumns('p')}, s.name AS sourceName, s.kind AS sourceKind, s.key AS sourceKey,
         s.is_demo AS isDemo
    FROM pipelines p JOIN sources s ON s.id = p.source_id`;

function prepareStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    pipelines: statement(`${PIPELINE_WITH_SOURCE} ORDER BY s.id, p.name COLLATE NOCASE, p.id`),
    pipeline: statement(`${PIPELINE_WITH_SOURCE} WHERE p.id = ?`),
    recentBuilds: statement(
      `SELECT ${buildColumns('b')} FROM builds b
        WHERE b.pipeline_id = ? ORDER BY b.number DESC, b.id DESC LIMIT ?`,
    ),
    build: statement(`SELECT ${buildColumns('b')} FROM builds b WHERE b.id = ?`),
    stagesOfBuilds: statement(
      `SELECT ${stageColumns('s')} FROM stages s
        WHERE s.build_id IN (SELECT value FROM json_each(?))
        ORDER BY s.build_id, s.position, s.id`,
    ),
    buildStages: statement(
      `SELECT ${stageColumns('s')} FROM stages s WHERE s.build_id = ? ORDER BY s.position, s.id`,
    ),
    buildSteps: statement(
      `SELECT ${stepColumns('st')} FROM stages s JOIN steps st ON st.stage_id = s.id
        WHERE s.build_id = ? ORDER BY st.stage_id, st.number, st.id`,
    ),
    buildNeeds: statement(
      `SELECT n.stage_id AS stageId, n.needs_external_id AS needed
         FROM stages s JOIN stage_needs n ON n.stage_id = s.id
        WHERE s.build_id = ? ORDER BY n.stage_id, n.position`,
    ),
    buildGates: statement(
      `SELECT ${gateColumns('g')} FROM gates g WHERE g.build_id = ? ORDER BY g.id`,
    ),
    passedStages: statement(
      `SELECT ${stageColumns('s')} FROM stages s
        WHERE s.build_id = ? AND s.status = 'success' ORDER BY s.position, s.id`,
    ),
    waitingGates: statement(
      `SELECT ${gateColumns('g')} FROM gates g WHERE g.state = 'waiting'
        ORDER BY g.waiting_since IS NULL, g.waiting_since DESC, g.id DESC`,
    ),
    waitingGateCounts: statement(
      `SELECT b.pipeline_id AS pipelineId, COUNT(*) AS count
         FROM gates g JOIN builds b ON b.id = g.build_id
        WHERE g.state = 'waiting' GROUP BY b.pipeline_id`,
    ),
    gate: statement(`SELECT ${gateColumns('g')} FROM gates g WHERE g.id = ?`),
    stage: statement(`SELECT ${stageColumns('s')} FROM stages s WHERE s.id = ?`),
    step: statement(
      `SELECT ${stepColumns('st')}, s.external_id AS stageExternalId, s.build_id AS buildId
         FROM steps st JOIN stages s ON s.id = st.stage_id WHERE st.id = ?`,
    ),
    anyActive: statement(
      `SELECT EXISTS (
         SELECT 1 FROM pipelines p JOIN builds b ON b.pipeline_id = p.id
          WHERE p.source_id = ? AND b.status IN ('queued', 'running', 'waiting')) AS active`,
    ),
  };
}
