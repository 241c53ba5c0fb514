import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../support/serve-process';

const folders: string[] = [];
const servers: ServeProcess[] = [];

function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'pipewatch-cli-'));
  folders.push(path);
  return path;
}

/** Runs the built CLI to completion (for start-up errors, which exit at once). */
function runCli(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['out/main/cli.js', ...args], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

describe('pipewatch serve refuses a bad start with one clear line and exit code 2', () => {
  it('names the config file, the field and what was expected', () => {
    const dir = folder();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: [{ id: 'x', kind: 'demo', name: 'X', options: { speed: 'fast' } }],
      }),
    );
    const result = runCli(['serve', '--config', config, '--data-dir', dir, '--port', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toContain('sources[0].options.speed');
  });

  it('says so when the config file does not exist', () => {
    const dir = folder();
    const result = runCli(['serve', '--config', join(dir, 'nope.json'), '--data-dir', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/nope\.json.*does not exist/);
  });

  it('says so when the config is not JSON', () => {
    const dir = folder();
    const config = join(dir, 'config.json');
    writeFileSync(config, '{ "sources": [ ');
    const result = runCli(['serve', '--config', config, '--data-dir', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not valid JSON/);
  });

  it('says which port is in use', async () => {
    const dir = folder();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = runCli(['serve', '--data-dir', dir, '--port', String(port)]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`${port}.*already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses to listen beyond loopback without a token', () => {
    const result = runCli(['serve', '--data-dir', folder(), '--host', '0.0.0.0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/token/i);
  });

  it('refuses a database file that is not a database, and leaves it untouched', () => {
    const dir = folder();
    const garbage = 'this is not a database, it is a shopping list\n'.repeat(200);
    writeFileSync(join(dir, 'pipewatch.db'), garbage);
    const result = runCli(['serve', '--data-dir', dir, '--port', '0']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(join(dir, 'pipewatch.db'));
    expect(spawnSync('cat', [join(dir, 'pipewatch.db')], { encoding: 'utf8' }).stdout).toBe(
      garbage,
    );
  });
});

describe('pipewatch serve with a token', () => {
  it('answers 401 without the token and 200 with it', async () => {
    const server = await startServe(undefined, ['--token', 'correct-horse-battery'], folder());
    servers.push(server);
    const base = new URL(server.url);
    base.search = '';
    const without = await fetch(new URL('/api/pipelines', base));
    expect(without.status).toBe(401);
    const withHeader = await fetch(new URL('/api/pipelines', base), {
      headers: { Authorization: 'Bearer correct-horse-battery' },
    });
    expect(withHeader.status).toBe(200);
  });
});
