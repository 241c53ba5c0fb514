import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The electron-builder configuration (package.json `build`) is only exercised by `npm run dist`,
 * which needs network access; this checks it against electron-builder's own schema and checks
 * the promises docs/README make about it.
 */
const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  build: Record<string, unknown> & {
    linux: { target: string[]; icon: string };
    mac: { target: string[]; icon: string };
    win: { target: string[]; icon: string };
    asarUnpack: string[];
    files: string[];
    protocols: Array<{ schemes: string[] }>;
  };
  scripts: Record<string, string>;
};

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('packaging', () => {
  it('is a configuration electron-builder accepts', async () => {
    const { validateConfiguration } =
      (await import('app-builder-lib/out/util/config/config.js')) as {
        validateConfiguration(config: unknown, logger: unknown): Promise<void>;
      };
    const { DebugLogger } = (await import('builder-util')) as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await expect(
      validateConfiguration(manifest.build, new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('builds AppImage and .deb, .dmg and NSIS, registering pipewatch:// links', () => {
    expect(manifest.build.linux.target).toEqual(['AppImage', 'deb']);
    expect(manifest.build.mac.target).toEqual(['dmg']);
    expect(manifest.build.win.target).toEqual(['nsis']);
    expect(manifest.build.protocols[0]?.schemes).toEqual(['pipewatch']);
    expect(manifest.scripts['dist']).toBe('node scripts/dist.mjs');
  });

  it('ships better-sqlite3 rebuilt for Electron and outside the asar archive', () => {
    expect(manifest.build['npmRebuild']).toBe(true);
    expect(manifest.build.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    expect(manifest.build.files).toContain('out/**/*');
  });

  it('has its icons: 1024 px for macOS and Windows, a size set for Linux', () => {
    expect(pngSize(join(root, manifest.build.mac.icon))).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const file = join(root, manifest.build.linux.icon, `${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file)).toEqual({ width: size, height: size });
    }
  });
});
