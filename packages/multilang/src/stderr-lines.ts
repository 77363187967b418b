/** Longest stderr line kept whole; a longer one is passed on in pieces, so memory stays bounded. */
const MAX_LINE = 4096;
/** Lines kept for error messages. */
const TAIL_LINES = 20;

/**
 * Splits a subprocess's stderr into lines (LF, CR or CRLF), hands each to `onLine` and
 * remembers the last few for the error reported when the subprocess dies.
 */
export class StderrLines {
  private partial = '';
  private afterCR = false;
  private readonly tail: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let pos = 0;
    if (this.afterCR && text.startsWith('\n')) pos = 1;
    this.afterCR = false;
    for (;;) {
      const lf = text.indexOf('\n', pos);
      const cr = text.indexOf('\r', pos);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      this.line(this.partial + text.slice(pos, end));
      this.partial = '';
      pos = end + 1;
      if (text.charCodeAt(end) === 13) {
        if (pos === text.length) this.afterCR = true;
        else if (text.charCodeAt(pos) === 10) pos++;
      }
    }
    this.partial += text.slice(pos);
    while (this.partial.length > MAX_LINE) {
      this.line(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
  }

  /** Passes on an unterminated last line (the stream ended). */
  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
  }

  /** The last lines, oldest first. */
  lastLines(): string[] {
    return [...this.tail];
  }

  private line(line: string): void {
    if (this.tail.length === TAIL_LINES) this.tail.shift();
    this.tail.push(line);
    this.onLine(line);
  }
}
