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

const count = z.number().int().nonnegative();

/**
 * A stored log read in blocks, so that a window paints the first lines of a log of hundreds of
 * megabytes without waiting for the rest: `logs/open` says how many blocks there are, and
 * `logs/block` reads one. Blocks follow each other without overlap: joined in order they are the
 * log as the CI server sent it. Blocks hold whole chunks of lines as the viewer parses them
 * (`CHUNK_LINES`): block 0 is the first chunk alone, later blocks as many chunks as fit in about
 * `LOG_BLOCK_CHARACTERS`. Only a chunk longer than `MAX_LOG_BLOCK_CHARACTERS` is cut inside.
 */
export const logHeadSchema = z.object({
  stageId: id,
  /** Null for a whole stage's log. */
  stepId: id.nullable(),
  /** The log is complete (the step finished); false while it is still growing. */
  complete: z.boolean(),
  /** When this copy was fetched; `logs/block` asks for blocks of this copy. */
  fetchedAt: z.string(),
  /** Bytes of UTF-8 text. */
  size: count,
  /** Blocks the text is stored in; 0 for an empty log. */
  blocks: count,
});
export type LogHead = z.infer<typeof logHeadSchema>;

export const logBlockSchema = z.object({
  block: count,
  text: z.string(),
});
export type LogBlock = z.infer<typeof logBlockSchema>;

/** About the characters of a block after the first. */
export const LOG_BLOCK_CHARACTERS = 1024 * 1024;
/** A chunk of lines longer than this (a log of a few enormous lines) is cut into blocks this long. */
export const MAX_LOG_BLOCK_CHARACTERS = 8 * 1024 * 1024;

/**
 * What a search of a pipeline's stored logs found and how much it looked at, so that "no
 * results" can be trusted: which words it looked for, how many logs it searched and which were
 * left out (still running, not indexed yet, never fetched).
 */
export const logSearchResultSchema = z.object({
  /** The words looked for, as the index reads the query: punctuation is dropped. */
  words: z.array(z.string()),
  /** One hit per matching log, at most the limit asked for, in the order asked for. */
  hits: z.array(logSearchHitSchema),
  /** Logs that contain the words, counting those the limit left out of `hits`. */
  logsMatched: count,
  /** Stored logs of the pipeline whose text was searched (finished and indexed). */
  logsSearched: count,
  /** Stored logs not searched because their step is still running (indexed once it ends). */
  logsRunning: count,
  /** Stored, finished logs not indexed yet (the index catches up within seconds). */
  logsWaiting: count,
  /** Builds of the pipeline in Pipewatch's history. */
  buildsKept: count,
  /** Builds with no stored log at all: none was fetched, or the log budget removed them. */
  buildsWithoutLogs: count,
  /** Build numbers of the oldest and newest searched logs; null when no log was searched. */
  searchedBuilds: z.object({ oldest: z.number().int(), newest: z.number().int() }).nullable(),
});
export type LogSearchResult = z.infer<typeof logSearchResultSchema>;

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
