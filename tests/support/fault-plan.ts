import { FAULT_KINDS, type Fault, type FaultKind } from './chaos-proxy';

/**
 * When the chaos proxy injects what: faults come in short episodes per source (a server that is
 * down stays down for a poll or three, a revoked token stays revoked for a while), the kinds
 * taken in a shuffled round so that every kind occurs, until `target` faults are injected.
 * Seeded, so a failing soak can be replayed with the seed it printed.
 */

/** A small seeded generator (mulberry32): the same seed gives the same soak. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultPlanOptions {
  /** Faults to inject in all; none after that. */
  target: number;
  /** Chance that a healthy poll of a source starts a fault episode. */
  probability: number;
  random: () => number;
  /** The kinds to inject; every kind when left out. */
  kinds?: readonly FaultKind[];
}

interface Episode {
  fault: Fault;
  remaining: number;
}

export class FaultPlan {
  injected = 0;
  /** Rate limits whose `Retry-After` date came from a server clock hours or days off. */
  skewedRetryDates = 0;
  readonly byKind = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
    FaultKind,
    number
  >;
  private enabled = false;
  private readonly episodes = new Map<string, Episode>();
  private round: FaultKind[] = [];

  constructor(private readonly options: FaultPlanOptions) {}

  get done(): boolean {
    return this.injected >= this.options.target;
  }

  start(): void {
    this.enabled = true;
  }

  /** No new faults; episodes under way end too. */
  stop(): void {
    this.enabled = false;
    this.episodes.clear();
  }

  /** The fault for a source's poll-opening request, or null. Other requests are never faulted. */
  decide(sourceKey: string, isPollEntry: boolean): Fault | null {
    if (!isPollEntry) return null;
    if (!this.enabled || this.done) {
      this.episodes.delete(sourceKey);
      return null;
    }
    let episode = this.episodes.get(sourceKey);
    if (!episode) {
      if (this.options.random() >= this.options.probability) return null;
      episode = this.newEpisode();
      this.episodes.set(sourceKey, episode);
    }
    episode.remaining -= 1;
    if (episode.remaining <= 0) this.episodes.delete(sourceKey);
    this.injected += 1;
    this.byKind[episode.fault.kind] += 1;
    if (episode.fault.retryAfterAsDate && episode.fault.skewMs) this.skewedRetryDates += 1;
    return episode.fault;
  }

  private nextKind(): FaultKind {
    if (this.round.length === 0) {
      this.round = [...(this.options.kinds ?? FAULT_KINDS)];
      for (let index = this.round.length - 1; index > 0; index -= 1) {
        const other = Math.floor(this.options.random() * (index + 1));
        [this.round[index], this.round[other]] = [this.round[other]!, this.round[index]!];
      }
    }
    return this.round.pop()!;
  }

  private newEpisode(): Episode {
    const random = this.options.random;
    const kind = this.nextKind();
    const seconds = 1 + Math.floor(random() * 3);
    const fault: Fault = { kind };
    if (kind === 'unavailable') {
      fault.retryAfterSeconds = seconds;
      fault.status = random() < 0.5 ? 502 : 503;
    }
    if (kind === 'rate-limited' || kind === 'secondary-rate-limit') {
      fault.retryAfterSeconds = seconds;
      fault.retryAfterAsDate = random() < 0.5;
      // Half of those from a server whose clock is hours or days off.
      if (fault.retryAfterAsDate && random() < 0.5) {
        fault.skewMs = (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 72)) * 3_600_000;
      }
    }
    if (kind === 'clock-skew') {
      fault.skewMs = (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 400)) * 86_400_000;
    }
    // A stall holds a polling slot for seconds: one at a time is enough to show it.
    const length = kind === 'stall' ? 1 : 1 + Math.floor(random() * 3);
    return { fault, remaining: length };
  }
}
