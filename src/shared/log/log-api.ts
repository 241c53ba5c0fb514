import { z } from 'zod';

/**
 * Schemas of the log operations across builds, for the contract: search every stored log of a
 * pipeline, and compare a log with the same stage's log in the last green build.
 */

const id = z.number().int().positive();

/** A stored log of a pipeline that contains the searched words, at its first matching line. */
export const logSearchHitSchema = z.object({
  buildId: id,
  buildNumber: z.number().int(),
  stageId: id,
  stageName: z.string(),
  /** Null when the hit is in a whole stage's log. */
  stepId: id.nullable(),
  stepName: z.string().nullable(),
  /** 1-based, as in the viewer's line numbers and permalinks. */
  lineNumber: z.number().int().positive(),
  /** The line's text without escapes (cut at 500 characters). */
  line: z.string(),
  fetchedAt: z.string(),
});
export type LogSearchHit = z.infer<typeof logSearchHitSchema>;

/** The build whose log a comparison used as "green". */
export const logBaselineSchema = z.object({
  buildId: id,
  buildNumber: z.number().int(),
  stageId: id,
  stepId: id.nullable(),
});
export type LogBaseline = z.infer<typeof logBaselineSchema>;

/** Which lines of a log are new compared with the last green build's log of the same stage. */
export const logComparisonSchema = z.object({
  /** Null when no earlier build passed this stage. */
  baseline: logBaselineSchema.nullable(),
  lineCount: z.number().int().nonnegative(),
  /** 1-based line numbers of the lines the green log has nothing like. */
  newLines: z.array(z.number().int().positive()),
  /** Why the comparison is empty, in words (no green build, its log could not be fetched). */
  note: z.string().nullable(),
});
export type LogComparison = z.infer<typeof logComparisonSchema>;
