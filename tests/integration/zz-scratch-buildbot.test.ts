import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { BuildbotClient } from '../../src/main/sources/buildbot/buildbot-client';
import { buildbotOptionsSchema } from '../../src/main/sources/buildbot/buildbot-options';
import { createBuildbotSource } from '../../src/main/sources/buildbot/buildbot-source';
import { BUILDBOT_PASSWORD, BUILDBOT_USER, startBuildbot } from './buildbot/buildbot-harness';

interface Exchange { method: string; url: string; requestBody: unknown; status: number; headers: Record<string, unknown>; body: unknown }

it('capture', async () => {
  const bb = await startBuildbot();
  const out = join(__dirname, '..', 'fixtures', 'buildbot-recorded');
  mkdirSync(out, { recursive: true });
  let records: Exchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    const url = new URL(String(input));
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* text */ }
    const headers: Record<string, unknown> = { 'content-type': response.headers.get('content-type') };
    if (response.headers.get('location')) headers.location = response.headers.get('location')!.replace(/:\d+\//, ':PORT/');
    if (response.headers.getSetCookie().length) headers['set-cookie'] = response.headers.getSetCookie();
    let requestBody: unknown = init?.body ?? null;
    if (typeof requestBody === 'string') requestBody = JSON.parse(requestBody);
    records.push({ method: init?.method ?? 'GET', url: url.pathname + url.search, requestBody, status: response.status, headers, body });
    return response;
  };
  const save = (name: string) => { writeFileSync(join(out, name), JSON.stringify(records, null, 2) + '\n'); records = []; };
  try {
    const client = new BuildbotClient({ baseUrl: bb.webUrl, user: BUILDBOT_USER, token: () => BUILDBOT_PASSWORD });
    const compile = (await client.builders()).find((b) => b.name === 'compile')!;
    const ids: string[] = [];
    for (const [rev, fail] of [['c0ffee1', ''], ['badbad2', 'fast-tests']]) {
      const r = (await client.control('/forceschedulers/check-in', 'force', { builderid: compile.builderid, revision: rev, branch: 'main', reason: `check-in of ${rev}`, fail_stage: fail })) as [number, Record<string, number>];
      ids.push(String(Object.values(r[1])[0]));
    }
    await new Promise((r) => setTimeout(r, 25000));
    const state = mkdtempSync(join(tmpdir(), 'bb-cap-'));
    const mk = (user: string | null) => createBuildbotSource({ options: buildbotOptionsSchema.parse({ ...(user ? { user } : {}), pipelines: [{ name: 'catalog', rootBuilder: 'compile', gates: [{ builder: 'production', after: 'slow-tests' }] }] }), baseUrl: bb.webUrl, token: () => (user ? BUILDBOT_PASSWORD : null), stateDirectory: state, fetch: recording });
    const source = mk(BUILDBOT_USER);
    const snap = await source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() });
    console.log(JSON.stringify(snap.builds.map((b) => [b.externalId, b.status, b.stages.map((s) => s.name + ':' + s.status)])));
    save('poll-gate-waiting.json');
    const failed = snap.builds.find((b) => b.externalId === ids[1])!;
    const step = failed.stages[1]!.steps.find((s) => s.name === 'fast-tests checks')!;
    await source.fetchLog({ pipelineExternalId: 'catalog', buildExternalId: ids[1]!, stageExternalId: 'fast-tests', stepExternalId: step.externalId });
    save('log-failed-step.json');
    const gate = { pipelineExternalId: 'catalog', buildExternalId: ids[0]!, gateExternalId: 'production' };
    const anon = mk(null);
    await anon.decideGate(gate, 'approve', '', {}).catch((e) => console.log(String(e)));
    save('approve-anonymous-refused.json');
    await source.decideGate(gate, 'approve', 'ship it', {});
    save('approve.json');
    await new Promise((r) => setTimeout(r, 8000));
    const after = await source.poll({ signal: new AbortController().signal, knownFinishedBuilds: new Set() });
    console.log(JSON.stringify(after.builds.map((b) => [b.externalId, b.status, b.stages.map((s) => s.name + ':' + s.status)])));
    save('poll-approved.json');
  } finally {
    await bb.stop();
  }
}, 120000);
