import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../src/main/sources/http/provider-http';
import { SourceError } from '../../src/main/sources/source';

/**
 * Logs are read from the network as they arrive: decoded piece by piece (a character split
 * between two packets included) and stopped at the size limit even when the server never said
 * how long the log is.
 */

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** A server whose one route writes the body with `write` (chunked, no Content-Length). */
async function serve(write: (response: ServerResponse) => void): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    write(response);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a log read from the network', () => {
  it('decodes it piece by piece, a character split between packets included', async () => {
    const url = await serve(async (response) => {
      // A BOM, then "café" with the two bytes of "é" in two packets, then invalid UTF-8.
      response.write(Buffer.from([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3]));
      await pause(30);
      response.write(Buffer.from([0xa9, 0x0a]));
      await pause(30);
      response.end(Buffer.from([0x6f, 0x6b, 0xff, 0x0a]));
    });
    const http = new ProviderHttp({ providerName: 'Test', baseUrl: url });
    const answer = await http.getTextPieces('/log');
    expect(answer.pieces.length).toBeGreaterThan(1);
    expect(answer.pieces.join('')).toBe('café\nok\uFFFD\n');
    expect((await http.getText('/log')).text).toBe('café\nok\uFFFD\n');
  });

  it('stops reading a log without a declared length as soon as it passes the limit', async () => {
    let written = 0;
    let closed = false;
    const url = await serve(async (response) => {
      response.on('close', () => (closed = true));
      const line = Buffer.from(`${'x'.repeat(1023)}\n`);
      // Up to 64 MiB, unless the reader hangs up first.
      while (!closed && written < 64 * 1024 * 1024) {
        if (!response.write(line)) await new Promise((resolve) => response.once('drain', resolve));
        written += line.length;
      }
      response.end();
    });
    const http = new ProviderHttp({
      providerName: 'Test',
      baseUrl: url,
      maxTextBytes: 1024 * 1024,
    });
    const error = await http.getTextPieces('/log').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('bad-response');
    expect((error as SourceError).message).toBe('Test sent more than 1048576 bytes for /log.');
    await pause(100);
    // The connection was dropped long before the whole 64 MiB went out.
    expect(closed).toBe(true);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });
});
