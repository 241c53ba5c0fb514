import type { LayoutStage, Point } from './layout';

/** A layout asked of the worker; the id pairs the answer with its question. */
export type LayoutRequest = { id: number; stages: LayoutStage[] };

/** The worker's answer: positions by stage id, or why it could not lay them out. */
export type LayoutResponse =
  { id: number; positions: Array<[string, Point]> } | { id: number; error: string };
