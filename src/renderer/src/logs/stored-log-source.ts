import type { ApiClient } from '../../../shared/contract';
import type { LogHead } from '../../../shared/log/log-api';
import type { LogTextSource } from './use-parsed-log';

/**
 * A stored log read block by block (`logs/block`), one block ahead of the parser: the first
 * block is small, so the first screen of a log of hundreds of megabytes paints as soon as a
 * short log's would, while the next blocks arrive as the first ones are parsed.
 */
export function storedLogSource(api: ApiClient, head: LogHead): LogTextSource {
  const { stageId, stepId, fetchedAt, blocks } = head;
  const read = (block: number) =>
    api['logs/block']({ stageId, stepId: stepId ?? undefined, block, fetchedAt });
  return {
    size: head.size,
    async *pieces() {
      if (blocks === 0) return;
      let pending = read(0);
      for (let block = 0; block < blocks; block += 1) {
        const current = pending;
        if (block + 1 < blocks) {
          pending = read(block + 1);
          // Awaited on the next turn; until then a failure must not count as unhandled.
          pending.catch(() => undefined);
        }
        yield (await current).text;
      }
    },
  };
}

/** True when two heads describe the same text (a live log read again without growing). */
export function sameText(a: LogHead, b: LogHead): boolean {
  return (
    a.stageId === b.stageId &&
    a.stepId === b.stepId &&
    a.size === b.size &&
    a.complete === b.complete &&
    a.blocks === b.blocks
  );
}
