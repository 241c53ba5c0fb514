import { LOG_BLOCK_CHARACTERS, MAX_LOG_BLOCK_CHARACTERS } from '../../shared/log/log-api';
import { CHUNK_LINES } from '../../shared/log/parse-log';

/**
 * How a log is cut into the blocks it is stored and sent in. Blocks hold whole chunks of
 * `chunkLines` lines, the chunks the viewer parses: block 0 is the first chunk alone (all a first
 * screen needs), later blocks as many chunks as fit in `target` characters (at least one). So a
 * reader that parses block by block never has to join a chunk out of two blocks. Only a chunk
 * longer than `limit` (a log of a few enormous lines) is cut inside: after the last newline of a
 * `limit` span, or at its end, never between the two halves of a surrogate pair (which would
 * decode as two U+FFFD).
 */
export interface BlockRules {
  chunkLines: number;
  target: number;
  limit: number;
}

export const DEFAULT_BLOCK_RULES: BlockRules = {
  chunkLines: CHUNK_LINES,
  target: LOG_BLOCK_CHARACTERS,
  limit: MAX_LOG_BLOCK_CHARACTERS,
};

/**
 * Cuts a text that arrives in pieces into blocks as it comes, holding no more than a block and
 * a chunk of it at a time: a log read from the network goes into the store without ever being
 * one string.
 */
export class BlockCutter {
  /** Text not yet handed out as a block. */
  private pending = '';
  /**
   * The piece pushed last, which `pending` ends with: newlines are looked for in it rather than in
   * `pending`, which joined to a new piece would be copied whole by every search.
   */
  private tail = '';
  /** `pending[0, held)` is whole chunks gathered for the next block. */
  private held = 0;
  /** Where the scan for the current chunk's newlines goes on. */
  private cursor = 0;
  /** Newlines of the current chunk found so far. */
  private lines = 0;
  /** The current chunk was too long and has been cut inside. */
  private cutInside = false;
  private emitted = 0;

  constructor(
    private readonly onBlock: (block: string) => void,
    private readonly rules: BlockRules = DEFAULT_BLOCK_RULES,
  ) {}

  push(piece: string): void {
    if (piece.length === 0) return;
    this.pending = this.pending.length === 0 ? piece : this.pending + piece;
    this.tail = piece;
    this.scan();
  }

  /** The text has ended: hands out the rest. */
  end(): void {
    this.scan();
    if (this.pending.length > this.held || this.cutInside) this.addChunk(this.pending.length);
    if (this.held > 0) this.emit(this.held);
  }

  private scan(): void {
    const { chunkLines, limit } = this.rules;
    for (;;) {
      while (this.lines < chunkLines) {
        const newline = this.nextNewline();
        if (newline === -1) {
          this.cursor = this.pending.length;
          break;
        }
        this.lines += 1;
        this.cursor = newline + 1;
      }
      const whole = this.lines === chunkLines;
      const chunkEnd = whole ? this.cursor : this.pending.length;
      if (chunkEnd - this.held > limit) {
        this.cutLongChunk(chunkEnd);
        continue;
      }
      if (!whole) return;
      this.addChunk(this.cursor);
    }
  }

  /** Where the next newline at or after the cursor is in `pending`, or -1. */
  private nextNewline(): number {
    const tailStart = this.pending.length - this.tail.length;
    if (this.cursor < tailStart) return this.pending.indexOf('\n', this.cursor);
    const found = this.tail.indexOf('\n', this.cursor - tailStart);
    return found === -1 ? -1 : tailStart + found;
  }

  /** The current chunk ends at `chunkEnd`: it joins the gathered ones, or starts a new block. */
  private addChunk(chunkEnd: number): void {
    this.lines = 0;
    if (this.cutInside) {
      // The last piece of a chunk cut inside is a block of its own.
      this.cutInside = false;
      this.emit(chunkEnd);
      return;
    }
    let end = chunkEnd;
    if (this.held > 0 && (this.emitted === 0 || end > this.rules.target)) {
      const held = this.held;
      this.emit(held);
      end -= held;
    }
    this.held = end;
  }

  /** Hands out what is gathered, then `limit`-long pieces of the current chunk while it is longer. */
  private cutLongChunk(chunkEnd: number): void {
    const { limit } = this.rules;
    let end = chunkEnd;
    if (this.held > 0) {
      const held = this.held;
      this.emit(held);
      end -= held;
    }
    while (end > limit) {
      // A slice is a view in V8: searching it stays within the span however long the text.
      const newline = this.pending.slice(0, limit).lastIndexOf('\n');
      let cut = newline >= 0 ? newline + 1 : limit;
      if (newline < 0 && isHighSurrogate(this.pending.charCodeAt(cut - 1)) && cut > 1) cut -= 1;
      this.emit(cut);
      end -= cut;
    }
    this.cutInside = true;
  }

  /** Hands out `pending[0, length)` as the next block. */
  private emit(length: number): void {
    const block = this.pending.slice(0, length);
    this.pending = this.pending.slice(length);
    this.cursor = Math.max(0, this.cursor - length);
    this.held = Math.max(0, this.held - length);
    this.emitted += 1;
    this.onBlock(block);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Where each block of a whole text ends (exclusive offsets, in UTF-16 code units), the last one at
 * `text.length`; none for an empty text.
 */
export function blockEnds(text: string, rules: BlockRules = DEFAULT_BLOCK_RULES): number[] {
  const ends: number[] = [];
  let at = 0;
  const cutter = new BlockCutter((block) => {
    at += block.length;
    ends.push(at);
  }, rules);
  cutter.push(text);
  cutter.end();
  return ends;
}
