import { initialSchema } from './001-initial';
import { stageLogsAndGateFields } from './002-stage-logs-and-gate-fields';
import { logIndex } from './003-log-index';
import { statusDetail } from './004-status-detail';
import { logBlocks } from './005-log-blocks';

/** One numbered schema change, applied once in its own transaction. */
export interface Migration {
  /** Positive and strictly increasing through the list; recorded in `schema_migrations`. */
  version: number;
  /** Names the migration in errors, e.g. "001-initial". */
  name: string;
  sql: string;
}

/** Every migration this build knows, oldest first. Append only: never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001-initial', sql: initialSchema },
  { version: 2, name: '002-stage-logs-and-gate-fields', sql: stageLogsAndGateFields },
  { version: 3, name: '003-log-index', sql: logIndex },
  { version: 4, name: '004-status-detail', sql: statusDetail },
  { version: 5, name: '005-log-blocks', sql: logBlocks },
];
