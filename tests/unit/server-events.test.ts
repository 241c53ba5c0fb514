import { get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/main/server/http';
import { formatServerSentEvent } from '../../src/main/server/events';
import { createFakeCore } from './server-fake-core';

let server: RunningHttpServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

function openStream(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(`${url}api/events`, resolve).on('error', reject));
}

/** Collects the stream's text until `predicate` holds. */
function readUntil(stream: IncomingMessage, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (predicate(text)) {
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
    stream.on('error', reject);
  });
}

async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the event stream', () => {
  it('delivers an event the core pushes, by name', async () => {
    const core = createFakeCore();
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
    });

    const stream = await openStream(server.url);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await eventually(() => core.listenerCount() === 1);
    core.emit({ name: 'builds/changed', payload: { pipelineIds: [7], buildIds: [121] } });
    const text = await readUntil(stream, (received) => received.includes('buildIds'));

    expect(text).toContain('event: builds/changed\ndata: {"pipelineIds":[7],"buildIds":[121]}\n\n');
    stream.destroy();
  });

  it('unsubscribes from the core when the client goes away', async () => {
    const core = createFakeCore();
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
    });

    const stream = await openStream(server.url);
    await eventually(() => core.listenerCount() === 1);
    expect(core.listenerCount()).toBe(1);
    stream.destroy();
    await eventually(() => core.listenerCount() === 0);

    expect(core.listenerCount()).toBe(0);
  });

  it('sends a heartbeat comment so idle proxies keep the stream open', async () => {
    const core = createFakeCore();
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
      heartbeatIntervalMs: 20,
    });

    const stream = await openStream(server.url);
    const text = await readUntil(stream, (received) => received.includes(': heartbeat\n\n'));

    expect(text).toContain(': heartbeat');
    stream.destroy();
  });

  it('ends open streams when the server closes', async () => {
    const core = createFakeCore();
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      token: null,
      staticDir: null,
    });
    const stream = await openStream(server.url);
    const ended = new Promise((resolve) => stream.on('end', resolve));
    stream.resume();
    await eventually(() => core.listenerCount() === 1);

    const startedClosing = Date.now();
    await server.close();
    server = null;
    await ended;

    expect(core.listenerCount()).toBe(0);
    // Closing does not wait out the shutdown grace period for a stream that will never end.
    expect(Date.now() - startedClosing).toBeLessThan(1000);
  });

  it('formats payloads as one data line', () => {
    const block = formatServerSentEvent({ name: 'gates/changed', payload: { gateIds: [3, 4] } });

    expect(block).toBe('event: gates/changed\ndata: {"gateIds":[3,4]}\n\n');
  });
});
