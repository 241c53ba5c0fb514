/**
 * What the tray says, and its icon as raw pixels: pure, so the Electron tray (`src/main/tray.ts`)
 * stays a few lines of wiring and this part is tested without Electron.
 */

/** The tray's title (shown next to the icon on macOS) and tooltip for a count of waiting gates. */
export function trayStatus(waitingGates: number): { title: string; tooltip: string } {
  if (waitingGates <= 0)
    return { title: '', tooltip: 'Pipewatch — nothing waiting for a decision' };
  const gates = waitingGates === 1 ? '1 gate is' : `${waitingGates} gates are`;
  return { title: String(waitingGates), tooltip: `Pipewatch — ${gates} waiting for a decision` };
}

/** The app's mark (a rounded square with two dots), tinted amber while something waits. */
export function trayIconPixels(size: number, attention: boolean): Buffer {
  // BGRA, the byte order nativeImage.createFromBitmap expects.
  const [blue, green, red] = attention ? [0x2c, 0xa7, 0xd4] : [0xe6, 0x5c, 0x5e];
  const pixels = Buffer.alloc(size * size * 4);
  const radius = size * 0.22;
  const dotRadius = size * 0.12;
  const dots = [
    { x: size * 0.32, y: size / 2 },
    { x: size * 0.68, y: size / 2 },
  ];
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const centreX = x + 0.5;
      const centreY = y + 0.5;
      if (!insideRoundedSquare(centreX, centreY, size, radius)) continue;
      const onDot = dots.some((dot) => Math.hypot(centreX - dot.x, centreY - dot.y) <= dotRadius);
      const offset = (y * size + x) * 4;
      pixels[offset] = onDot ? 0xff : blue;
      pixels[offset + 1] = onDot ? 0xff : green;
      pixels[offset + 2] = onDot ? 0xff : red;
      pixels[offset + 3] = 0xff;
    }
  }
  return pixels;
}

function insideRoundedSquare(x: number, y: number, size: number, radius: number): boolean {
  const nearestX = Math.min(Math.max(x, radius), size - radius);
  const nearestY = Math.min(Math.max(y, radius), size - radius);
  return Math.hypot(x - nearestX, y - nearestY) <= radius;
}
