import type { LineScanner } from './line-scanner';

const NEWLINE = 0x0a;

/**
 * Builds a chunk's clean text as few strings as possible: pieces that sit next to each other in
 * the raw log (a plain log's lines and the newlines between them) are one range, cut out once,
 * and the pieces are joined once per chunk. A log without timestamps or colours costs one slice
 * per chunk.
 */
export class ChunkText {
  private readonly pieces: string[] = [];
  private rangeStart = 0;
  private rangeEnd = 0;

  constructor(private readonly raw: string) {}

  reset(): void {
    this.pieces.length = 0;
    this.rangeStart = 0;
    this.rangeEnd = 0;
  }

  /** The newline at `at` in the raw log separates the previous line from the next one. */
  appendNewline(at: number): void {
    if (this.raw.charCodeAt(at) === NEWLINE) this.appendRange(at, at + 1);
    else this.appendString('\n');
  }

  /** The line the scanner holds. */
  appendLine(scanner: LineScanner): void {
    const { segmentStarts, segmentEnds, segmentCount } = scanner;
    for (let index = 0; index < segmentCount; index += 1) {
      this.appendRange(segmentStarts[index] ?? 0, segmentEnds[index] ?? 0);
    }
  }

  appendString(text: string): void {
    this.flush();
    if (text.length > 0) this.pieces.push(text);
  }

  finish(): string {
    this.flush();
    const { pieces } = this;
    const text = pieces.length === 1 ? (pieces[0] ?? '') : pieces.join('');
    pieces.length = 0;
    return text;
  }

  private appendRange(start: number, end: number): void {
    if (start === this.rangeEnd && this.rangeEnd > this.rangeStart) {
      this.rangeEnd = end;
      return;
    }
    this.flush();
    this.rangeStart = start;
    this.rangeEnd = end;
  }

  private flush(): void {
    if (this.rangeEnd > this.rangeStart) {
      this.pieces.push(this.raw.slice(this.rangeStart, this.rangeEnd));
    }
    this.rangeStart = 0;
    this.rangeEnd = 0;
  }
}
