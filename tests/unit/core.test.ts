import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/main/config/load-config';
import { createCore } from '../../src/main/core';
import type { Core, CoreEvent } from '../../src/main/core-types';
import { quietDemoConfig } from '../support/serve-process';

const config = parseConfig(quietDemoConfig, 'test');

let dataDir: string;
let core: Core;
let events: CoreEvent[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pipewatch-core-'));
  core = createCore({ config, configPath: null, dataDir });
  events = [];
  core.subscribe((event) => events.push(event));
});

afterEach(async () => {
  await core.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function catalogBuild(number: number) {
  const pipelines = await core.api['pipelines/list']({ builds: 10 });
  const build = pipelines[0]?.recentBuilds.find((candidate) => candidate.number === number);
  return build ? core.api['builds/get']({ buildId: build.id }) : undefined;
}

describe('the core, through the contract', () => {
  it('polls the demo into the store and pushes what changed', async () => {
    const build121 = await until(() => catalogBuild(121));
    expect(build121.stages.find((stage) => stage.name === 'performance-tests')?.status).toBe(
      'failed',
    );
    expect(events.some((event) => event.name === 'builds/changed')).toBe(true);
    const [source] = await core.api['sources/list']({});
    expect(source?.health.state).toBe('ok');
    expect(source?.isDemo).toBe(true);
  });

  it('approves a gate once, however many times the same click arrives', async () => {
    await until(() => catalogBuild(122));
    const [item] = await core.api['gates/inbox']({});
    expect(item?.build.number).toBe(122);
    const request = {
      gateId: item!.gate.id,
      decision: 'approve' as const,
      comment: 'ship it',
      requestId: 'click-0001',
      fields: {},
    };
    const [first, second] = await Promise.all([
      core.api['gates/decide'](request),
      core.api['gates/decide'](request),
    ]);
    const third = await core.api['gates/decide'](request);
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['done', 'done', 'done']);
    const audit = await core.api['audit/list']({ limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      buildNumber: 122,
      decision: 'approve',
      comment: 'ship it',
      outcome: 'done',
    });
  });

  it('re-reads the gate and does nothing when someone already decided it', async () => {
    await until(() => catalogBuild(122));
    const [item] = await core.api['gates/inbox']({});
    const gateId = item!.gate.id;
    await core.api['gates/decide']({
      gateId,
      decision: 'reject',
      comment: '',
      requestId: 'click-0001',
      fields: {},
    });
    const late = await core.api['gates/decide']({
      gateId,
      decision: 'approve',
      comment: '',
      requestId: 'click-0002',
      fields: {},
    });
    expect(late.outcome).toBe('already-decided');
    expect(late.message).toMatch(/already rejected/);
    const audit = await core.api['audit/list']({ limit: 10 });
    expect(audit.map((entry) => entry.outcome)).toEqual(['already-decided', 'done']);
  });

  it('fetches a failed step log from the source and keeps it', async () => {
    const build120 = await until(() => catalogBuild(120));
    const failedStep = build120.stages
      .flatMap((stage) => stage.steps)
      .find((step) => step.status === 'failed');
    expect(failedStep).toBeDefined();
    const log = await core.api['logs/get']({ stepId: failedStep!.id });
    expect(log.complete).toBe(true);
    expect(log.text).toContain('##[error]');
  });

  it('answers a missing build with not-found', async () => {
    await expect(core.api['builds/get']({ buildId: 999_999 })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
