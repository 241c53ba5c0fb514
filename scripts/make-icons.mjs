#!/usr/bin/env node
/**
 * Draws Pipewatch's icon — the header's mark: a rounded square in the accent gradient with two
 * white dots (two stages, one pipeline) — as PNGs for electron-builder, with no image library and
 * no download: a tiny PNG encoder over node:zlib.
 *
 *   resources/icon.png            1024×1024 (macOS .icns and Windows .ico are made from it)
 *   resources/icons/NxN.png       16…512, the Linux icon set (AppImage, .deb)
 *
 * Run with `node scripts/make-icons.mjs`; the output is committed, so packaging needs no step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** CRC-32 as PNG chunks need it (polynomial 0xEDB88320). */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA image (width × height × 4 bytes) as a PNG file. */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  // Each row starts with filter type 0 (none).
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const ACCENT = [0x5e, 0x5c, 0xe6];
const TEAL = [0x2f, 0x9e, 0x8f];

/** Coverage of a pixel by the shape, 4×4 supersampled so edges are smooth at every size. */
function draw(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const margin = size * 0.06;
  const side = size - 2 * margin;
  const radius = side * 0.24;
  const dotRadius = side * 0.11;
  const dots = [
    [margin + side * 0.32, size / 2],
    [margin + side * 0.68, size / 2],
  ];
  const inSquare = (x, y) => {
    const nearestX = Math.min(Math.max(x, margin + radius), size - margin - radius);
    const nearestY = Math.min(Math.max(y, margin + radius), size - margin - radius);
    return Math.hypot(x - nearestX, y - nearestY) <= radius;
  };
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let square = 0;
      let dot = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const px = x + (sx + 0.5) / samples;
          const py = y + (sy + 0.5) / samples;
          if (!inSquare(px, py)) continue;
          square += 1;
          if (dots.some(([dx, dy]) => Math.hypot(px - dx, py - dy) <= dotRadius)) dot += 1;
        }
      }
      const total = samples * samples;
      if (square === 0) continue;
      // The header's 135° gradient: accent at the top left, teal at the bottom right.
      const t = Math.min(1, Math.max(0, (x + y) / (2 * size)));
      const base = ACCENT.map((value, index) => value + (TEAL[index] - value) * t);
      const white = dot / square;
      const offset = (y * size + x) * 4;
      for (let channel = 0; channel < 3; channel += 1) {
        pixels[offset + channel] = Math.round(base[channel] * (1 - white) + 255 * white);
      }
      pixels[offset + 3] = Math.round((255 * square) / total);
    }
  }
  return pixels;
}

const iconsDir = join(root, 'resources', 'icons');
mkdirSync(iconsDir, { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(join(iconsDir, `${size}x${size}.png`), encodePng(size, size, draw(size)));
}
writeFileSync(join(root, 'resources', 'icon.png'), encodePng(1024, 1024, draw(1024)));
console.log(`Wrote resources/icon.png and resources/icons/{16…512}.png`);
