/**
 * Deterministic randomness for the demo: every draw is seeded from the build number and what it
 * is for, so one build's fate never depends on another's or on when it was computed.
 */

/** A source of numbers in [0, 1). */
export type Random = () => number;

/** FNV-1a (32 bit): a stable seed from a string. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: tiny and fast, plenty for a simulation (never for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The random stream of one build for one purpose ("timing", "outcome", …). */
export function randomFor(buildNumber: number, purpose: string): Random {
  return seededRandom(hashSeed(`catalog/${buildNumber}/${purpose}`));
}

/** A number in [minimum, maximum). */
export function between(random: Random, minimum: number, maximum: number): number {
  return minimum + (maximum - minimum) * random();
}

/** An integer in [0, count). */
export function randomIndex(random: Random, count: number): number {
  return Math.min(count - 1, Math.floor(random() * count));
}

/** One item of a non-empty list. */
export function pick<T>(random: Random, items: readonly [T, ...T[]]): T {
  return items[randomIndex(random, items.length)] ?? items[0];
}

/** A 40-hex-digit commit sha that is always the same for the same build. */
export function commitShaFor(buildNumber: number): string {
  const random = randomFor(buildNumber, 'commit-sha');
  let sha = '';
  for (let part = 0; part < 5; part += 1) {
    sha += Math.floor(random() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0');
  }
  return sha;
}
