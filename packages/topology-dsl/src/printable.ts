/**
 * What does not print, as a regular-expression class (for the `u` flag): controls (C0,
 * DEL, C1), format characters (bidi overrides, zero-width), lone surrogates and line or
 * paragraph separators. In a terminal or a log line they move the cursor, recolour,
 * reorder or split what follows, so text from users never reaches one raw.
 */
export const UNPRINTABLE_CLASS = '\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}';

const unprintable = new RegExp(`[${UNPRINTABLE_CLASS}]`, 'gu');

/** `text` with every character that does not print written as `\uXXXX`; printable text is unchanged. */
export function printable(text: string): string {
  return text.replace(unprintable, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** `printable(text)` cut to `max` characters, saying how long the whole was, for messages that echo input. */
export function excerpt(text: string, max: number): string {
  const shown = printable(text);
  return shown.length <= max ? shown : `${shown.slice(0, max)}… (${text.length} characters)`;
}

/** `text` as a JSON string, printable and cut to `max` characters (then saying how long it was). */
export function quoted(text: string, max: number): string {
  const cut = text.length <= max ? '' : `… (${text.length} characters)`;
  return `${printable(JSON.stringify(cut === '' ? text : text.slice(0, max)))}${cut}`;
}
