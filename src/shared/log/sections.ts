/**
 * Foldable sections of a log: GitHub `##[group]`…`##[endgroup]` (never nested; collapsed like
 * GitHub shows them), GitLab `section_start`…`section_end` (nested, by name, collapsed only with
 * `[collapsed=true]`) and Buildbot header blocks (the `h` lines before and after a command).
 */
export interface LogSection {
  readonly id: number;
  readonly kind: 'group' | 'gitlab' | 'header';
  readonly name: string;
  readonly title: string;
  /** The line that opens the section and stays visible when it is folded. */
  readonly headerLine: number;
  /** The last line inside (inclusive); -1 while the section is still open. */
  endLine: number;
  readonly depth: number;
  /** The enclosing section's id, or -1. */
  readonly parentId: number;
  readonly collapsedByDefault: boolean;
}

/** Builds sections while lines are parsed in order. */
export class SectionTracker {
  private readonly open: number[] = [];
  private headerRunStart = -1;
  private headerRunLength = 0;
  private headerRunTitle = '';
  /** The header line of the Buildbot header block `trackHeader` last closed. */
  lastHeaderRunStart = -1;

  constructor(
    private readonly sections: LogSection[],
    private readonly byHeader: Map<number, number>,
  ) {}

  /** `##[group]title`: GitHub groups do not nest, so an open group ends on the line before. */
  openGroup(line: number, title: string): void {
    const top = this.top();
    if (top !== undefined && top.kind === 'group') this.closeFrom(this.open.length - 1, line - 1);
    this.push('group', title, title, line, true);
  }

  /** `##[endgroup]`: closes the innermost open group, this line included. */
  closeGroup(line: number): void {
    for (let index = this.open.length - 1; index >= 0; index -= 1) {
      const section = this.sections[this.open[index] ?? -1];
      if (section?.kind === 'group') {
        this.closeFrom(index, line);
        return;
      }
    }
  }

  /** A GitLab `section_start`. */
  openNamed(line: number, name: string, title: string, collapsed: boolean): void {
    this.push('gitlab', name, title, line, collapsed);
  }

  /**
   * A GitLab `section_end` for `name` (sections opened inside it close too). When the same line
   * goes on to open another section, this one ends on the line before.
   */
  closeNamed(name: string, line: number, lineOpensAnother: boolean): void {
    for (let index = this.open.length - 1; index >= 0; index -= 1) {
      const section = this.sections[this.open[index] ?? -1];
      if (section?.kind === 'gitlab' && section.name === name) {
        this.closeFrom(index, lineOpensAnother ? line - 1 : line);
        return;
      }
    }
  }

  /**
   * Follows runs of Buildbot header lines. Returns true when a run of two or more lines just
   * ended and became a section (its header line is then `lastHeaderRunStart`).
   */
  trackHeader(line: number, isHeader: boolean, text: string): boolean {
    if (isHeader) {
      if (this.headerRunLength === 0) {
        this.headerRunStart = line;
        this.headerRunTitle = text;
      }
      this.headerRunLength += 1;
      return false;
    }
    const length = this.headerRunLength;
    this.headerRunLength = 0;
    if (length < 2) return false;
    const id = this.push('header', 'header', this.headerRunTitle, this.headerRunStart, true);
    this.open.pop();
    const section = this.sections[id];
    if (section) section.endLine = line - 1;
    this.lastHeaderRunStart = this.headerRunStart;
    return true;
  }

  /** Ends every section still open at the log's last line (a section that never ends). */
  closeAll(lastLine: number): void {
    if (this.open.length > 0) this.closeFrom(0, Math.max(lastLine, 0));
  }

  private top(): LogSection | undefined {
    const id = this.open.at(-1);
    return id === undefined ? undefined : this.sections[id];
  }

  private push(
    kind: LogSection['kind'],
    name: string,
    title: string,
    line: number,
    collapsed: boolean,
  ): number {
    const id = this.sections.length;
    this.sections.push({
      id,
      kind,
      name,
      title,
      headerLine: line,
      endLine: -1,
      depth: this.open.length,
      parentId: this.open.at(-1) ?? -1,
      collapsedByDefault: collapsed,
    });
    this.byHeader.set(line, id);
    this.open.push(id);
    return id;
  }

  private closeFrom(index: number, endLine: number): void {
    for (let at = this.open.length - 1; at >= index; at -= 1) {
      const section = this.sections[this.open[at] ?? -1];
      if (section) section.endLine = Math.max(section.headerLine, endLine);
    }
    this.open.length = index;
  }
}
