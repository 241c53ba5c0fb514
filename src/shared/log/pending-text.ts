/**
 * The text pushed and not parsed yet. A chunk is parsed only once all its lines are here (or the
 * text has ended), since a chunk cut short would break "line n is in chunk n >> CHUNK_SHIFT".
 */
export class PendingText {
  text = '';
  private ended = false;
  /** Whether `text` holds a whole chunk of lines; null when not counted since it changed. */
  private whole: boolean | null = null;

  constructor(private readonly chunkLines: number) {}

  push(piece: string): void {
    if (this.ended) throw new Error('Text was pushed to a log parser after its end.');
    if (piece.length === 0) return;
    this.text = this.text.length === 0 ? piece : this.text + piece;
    if (this.whole === false) this.whole = null;
  }

  end(): void {
    this.ended = true;
  }

  ready(): boolean {
    if (this.ended) return this.text.length > 0;
    this.whole ??= holdsLines(this.text, this.chunkLines);
    return this.whole;
  }

  finished(): boolean {
    return this.ended && this.text.length === 0;
  }

  /** Removes and returns the first `length` characters (the chunk just parsed). */
  take(length: number): string {
    const taken = this.text.slice(0, length);
    this.text = this.text.slice(length);
    this.whole = null;
    return taken;
  }
}

/** True when `text` has at least `count` newlines. */
function holdsLines(text: string, count: number): boolean {
  let from = 0;
  for (let seen = 0; seen < count; seen += 1) {
    const newline = text.indexOf('\n', from);
    if (newline === -1) return false;
    from = newline + 1;
  }
  return true;
}
