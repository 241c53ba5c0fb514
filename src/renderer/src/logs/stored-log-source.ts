import type { ApiClient } from '../../../shared/contract';
import type { LogHead } from '../../../shared/log/log-api';
import type { LogTextSource } from './use-parsed-log';

/** Blocks asked for before the parser needs them, so that the transfer hides behind parsing. */
const BLOCKS_AHEAD = 3;

/**
 * A stored log read block by block (`logs/block`), a few blocks ahead of the parser: the first
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
      const pending: Array<Promise<{ text: string }>> = [];
      let requested = 0;
      const requestMore = (): void => {
        while (requested < blocks && pending.length < BLOCKS_AHEAD) {
          const next = read(requested);
          // Awaited in its turn; until then a failure must not count as unhandled.
          next.catch(() => undefined);
          pending.push(next);
          requested += 1;
        }
      };
      requestMore();
      for (let current = pending.shift(); current; current = pending.shift()) {
        const { text } = await current;
        requestMore();
        yield text;
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
