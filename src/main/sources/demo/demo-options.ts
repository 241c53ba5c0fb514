import { z } from 'zod';

/**
 * Options of a `kind: "demo"` source (`sources[i].options` in the config file). Every field has a
 * default, so `{}` gives the demo as `npm start` shows it. Strict, so a typo names the bad field.
 */
export const demoOptionsSchema = z
  .object({
    /** A developer checks in (and a build starts) this often, in real seconds. */
    checkInEverySeconds: z.number().min(1).max(86_400).default(120),
    /**
     * How much faster than real time stages run: 1 shows realistic durations (about ten minutes
     * from check-in to the production gate); tests and demos on a wall use more. Check-ins and gate
     * expiry keep their own real-time settings.
     */
    speed: z.number().min(1).max(1_000_000).default(1),
    /** Share of builds that fail an automated stage, from 0 (never) to 1 (always). */
    failureRate: z.number().min(0).max(1).default(0.2),
    /** A production gate nobody decides expires after this many hours. */
    gateExpiresAfterHours: z.number().positive().max(8_760).default(24),
    /**
     * A newer release candidate reaching the production gate supersedes an older one still waiting
     * there (as a GitHub concurrency group does), so the approvals inbox holds the newest candidate
     * instead of a day's worth of them.
     */
    supersedeWaitingGates: z.boolean().default(true),
  })
  .strict();

/** Validated demo options, defaults filled in. */
export type DemoOptions = z.infer<typeof demoOptionsSchema>;
