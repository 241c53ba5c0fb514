import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryName, type Repository } from './github-refs';
import { parseWorkflowFile, type WorkflowFile } from './workflow-file';

/** Parsed files kept in memory; the disk holds every file ever read. */
const MEMORY_ENTRIES = 200;

/**
 * Workflow files by commit, kept on disk forever: the file at a commit never changes, so each
 * is fetched from GitHub once in the life of the source. Files that could not be fetched are
 * remembered in memory only, so that a token given the missing permission later is tried again
 * after a restart.
 */
export class WorkflowFileCache {
  private readonly directory: string;
  private readonly parsed = new Map<string, WorkflowFile | null>();
  private readonly unavailable = new Set<string>();

  constructor(stateDirectory: string) {
    this.directory = join(stateDirectory, 'workflow-files');
  }

  /** The parsed file; undefined when never fetched, null when unreadable or not YAML. */
  get(repository: Repository, path: string, commitSha: string): WorkflowFile | null | undefined {
    const key = cacheKey(repository, path, commitSha);
    if (this.parsed.has(key)) return this.parsed.get(key);
    if (this.unavailable.has(key)) return null;
    let text: string;
    try {
      text = readFileSync(this.fileOf(key), 'utf8');
    } catch {
      return undefined;
    }
    return this.keepParsed(key, parseWorkflowFile(text));
  }

  /** Keeps a fetched file (on disk, atomically) and answers it parsed. */
  put(repository: Repository, path: string, commitSha: string, text: string): WorkflowFile | null {
    const key = cacheKey(repository, path, commitSha);
    mkdirSync(this.directory, { recursive: true });
    const file = this.fileOf(key);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text, 'utf8');
    renameSync(partial, file);
    return this.keepParsed(key, parseWorkflowFile(text));
  }

  /** GitHub would not give the file (missing, no permission): use start times this session. */
  markUnavailable(repository: Repository, path: string, commitSha: string): void {
    if (this.unavailable.size >= MEMORY_ENTRIES * 10) this.unavailable.clear();
    this.unavailable.add(cacheKey(repository, path, commitSha));
  }

  private keepParsed(key: string, file: WorkflowFile | null): WorkflowFile | null {
    this.parsed.delete(key);
    this.parsed.set(key, file);
    for (const oldest of this.parsed.keys()) {
      if (this.parsed.size <= MEMORY_ENTRIES) break;
      this.parsed.delete(oldest);
    }
    return file;
  }

  private fileOf(key: string): string {
    return join(this.directory, `${key}.yml`);
  }
}

function cacheKey(repository: Repository, path: string, commitSha: string): string {
  return createHash('sha256')
    .update(`${repositoryName(repository)}\n${path}\n${commitSha}`)
    .digest('hex');
}
