import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

/**
 * Serves the built renderer (`out/renderer`) to browsers: correct content types, `index.html`
 * for `/` and for extensionless paths (client-side views), and nothing outside the folder.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The content type for a file name; unknown kinds are served as opaque bytes. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string; cacheControl: string }
  | { kind: 'refused' }
  | { kind: 'missing' };

/**
 * Maps a URL path to a file under `root` (an already-resolved real path). Refuses `..`
 * segments, backslashes and NUL bytes after decoding, then checks the real path (symlinks
 * resolved) is still inside the root, so neither `%2e%2e%2f` nor a symlink can escape it.
 */
export async function lookUpStaticFile(root: string, pathname: string): Promise<StaticLookup> {
  let decoded: string[];
  try {
    decoded = pathname.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'refused' };
  }
  const unsafe = decoded.some(
    (segment) =>
      segment === '..' || segment.includes('\\') || segment.includes('\0') || segment.includes('/'),
  );
  if (unsafe) return { kind: 'refused' };

  const relative = decoded.filter((segment) => segment !== '' && segment !== '.');
  const last = relative.at(-1);
  const wantsPage = last === undefined || extname(last) === '';
  const candidate = wantsPage ? 'index.html' : join(...relative);

  let real: string;
  try {
    real = await realpath(join(root, candidate));
  } catch {
    return { kind: 'missing' };
  }
  if (real !== root && !real.startsWith(root + sep)) return { kind: 'refused' };
  const info = await stat(real).catch(() => null);
  if (info === null || !info.isFile()) return { kind: 'missing' };

  // Vite puts content-hashed files under assets/: they never change, so they may be cached.
  const immutable = relative[0] === 'assets' && !wantsPage;
  return {
    kind: 'file',
    path: real,
    size: info.size,
    contentType: contentTypeFor(real),
    cacheControl: immutable ? 'private, max-age=31536000, immutable' : 'no-cache',
  };
}

/** Streams a looked-up file (headers only for HEAD). */
export function sendStaticFile(
  response: ServerResponse,
  file: Extract<StaticLookup, { kind: 'file' }>,
  headOnly: boolean,
): void {
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'Cache-Control': file.cacheControl,
  });
  if (headOnly) {
    response.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
