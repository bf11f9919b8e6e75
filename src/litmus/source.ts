// A litmus file's text with its name, and the mapping from character
// offsets to the 1-based line:column positions that error messages cite.

export interface SourcePos {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counting characters (a tab is one). */
  readonly col: number;
  /** 0-based character offset into the text. */
  readonly offset: number;
}

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly fileName: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  pos(offset: number): SourcePos {
    // Binary search for the last line starting at or before `offset`.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo]! + 1, offset };
  }
}
