import { parse } from 'yaml';

/** One job of a workflow file, as much of it as the graph needs. */
export interface WorkflowJob {
  /** The key under `jobs:`; what `needs:` refers to. */
  id: string;
  /** `jobs.<id>.name`, possibly with `${{ }}` expressions; null when absent. */
  name: string | null;
  needs: string[];
  /** `jobs.<id>.environment` (a string or `{ name }`), possibly an expression. */
  environment: string | null;
  /** The job calls a reusable workflow (`uses:`), so GitHub shows its jobs as "caller / callee". */
  callsWorkflow: boolean;
  /** The job has a matrix, so GitHub shows one job per leg: "name (value, value)". */
  hasMatrix: boolean;
  /** Its `if:` uses `always()`, `failure()` or `cancelled()`: it may run after a needed job failed. */
  runsAfterFailure: boolean;
}

/** The jobs of a workflow file in file order. */
export interface WorkflowFile {
  jobs: WorkflowJob[];
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function readNeeds(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function readEnvironment(value: unknown): string | null {
  if (isMapping(value)) return scalarText(value.name);
  return scalarText(value);
}

/**
 * Reads a GitHub Actions workflow file. Returns null when it is not YAML or has no `jobs:`
 * mapping — the caller then orders jobs by time instead. YAML 1.2 (the `yaml` package's
 * default) keeps the `on:` key a string rather than the boolean YAML 1.1 would make it.
 */
export function parseWorkflowFile(source: string): WorkflowFile | null {
  let document: unknown;
  try {
    document = parse(source, { merge: true, logLevel: 'error' });
  } catch {
    return null;
  }
  if (!isMapping(document) || !isMapping(document.jobs)) return null;
  const jobs: WorkflowJob[] = [];
  for (const [id, body] of Object.entries(document.jobs)) {
    const job = isMapping(body) ? body : {};
    const strategy = isMapping(job.strategy) ? job.strategy : null;
    jobs.push({
      id,
      name: scalarText(job.name),
      needs: readNeeds(job.needs),
      environment: readEnvironment(job.environment),
      callsWorkflow: typeof job.uses === 'string',
      hasMatrix: strategy !== null && strategy.matrix !== undefined && strategy.matrix !== null,
      runsAfterFailure: /\b(always|failure|cancelled)\(\)/.test(scalarText(job.if) ?? ''),
    });
  }
  return { jobs };
}

/** `.github/workflows/build.yml@main` → `.github/workflows/build.yml` (a run's `path`). */
export function workflowFilePath(runPath: string): string {
  const at = runPath.lastIndexOf('@');
  return at > 0 ? runPath.slice(0, at) : runPath;
}

/** Only files under `.github/workflows/` can be read at a commit; dynamic workflows cannot. */
export function isReadableWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}
