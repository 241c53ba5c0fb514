import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildSnapshot, PollSnapshot } from '../src/main/sources/source';
import { openStore } from '../src/main/store/store';
import { compare, medianTime, type BenchResult } from './bench-kit';

const STAGES = ['compile', 'fast-tests', 'slow-tests', 'performance-tests', 'uat', 'production'];

function snapshot(builds: number, status: 'running' | 'success', firstNumber = 1): PollSnapshot {
  const list: BuildSnapshot[] = Array.from({ length: builds }, (_, index) => ({
    pipelineExternalId: 'catalog',
    externalId: String(firstNumber + index),
    number: firstNumber + index,
    attempt: 1,
    status,
    branch: 'main',
    commitSha: 'a'.repeat(40),
    commitMessage: 'Change',
    author: 'alice',
    trigger: 'push',
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    webUrl: null,
    gates: [],
    stages: STAGES.map((name, position) => ({
      externalId: name,
      name,
      position,
      status,
      startedAt: null,
      finishedAt: null,
      webUrl: null,
      isGate: false,
      hasLog: false,
      needs: position === 0 ? [] : [STAGES[position - 1]!],
      steps: [1, 2, 3].map((number) => ({
        externalId: `step-${number}`,
        number,
        name: `Step ${number}`,
        status,
        startedAt: null,
        finishedAt: null,
        hasLog: true,
      })),
    })),
  }));
  return { pipelines: [{ externalId: 'catalog', name: 'Catalog', webUrl: null }], builds: list };
}

/**
 * Poll cost in the store: a poll that reports 30 builds nobody changed must cost far less than
 * one whose 30 builds all changed (content hashes skip the writes).
 */
export async function run(): Promise<BenchResult[]> {
  const folder = mkdtempSync(join(tmpdir(), 'pipewatch-bench-ingest-'));
  try {
    const store = openStore(join(folder, 'bench.db'));
    const sourceId = store.upsertSource({
      key: 'bench',
      kind: 'demo',
      name: 'Bench',
      baseUrl: null,
      isDemo: true,
    });
    const running = snapshot(30, 'running');
    const finished = snapshot(30, 'success');
    let flip = false;
    let poll = 0;
    const changed = medianTime(() => {
      flip = !flip;
      store.applySnapshot(sourceId, flip ? finished : running, `poll-${(poll += 1)}`);
    });
    store.applySnapshot(sourceId, finished, 'settle');
    const unchanged = medianTime(() => {
      store.applySnapshot(sourceId, finished, `poll-${(poll += 1)}`);
    });
    store.close();
    return [
      compare(
        'ingest: unchanged poll vs changed poll (30 builds × 6 stages × 3 steps)',
        { label: 'every build changed', milliseconds: changed },
        { label: 'nothing changed', milliseconds: unchanged },
        0.5,
        'Content hashes let an unchanged poll skip every write.',
      ),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
