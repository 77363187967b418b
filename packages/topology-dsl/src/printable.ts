import { NAME_MAX_LENGTH } from './names.js';

// Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), lone surrogates
// and line separators: in a terminal or a log line they move the cursor, recolour,
// reorder or split what follows, so text from users never reaches one raw.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** `text` with every character that does not print written as `\uXXXX`; printable text is unchanged. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/**
 * `printable(text)` cut to `max` characters, saying how long the whole was, for messages
 * that echo input. The default shows any valid name whole.
 */
export function excerpt(text: string, max = NAME_MAX_LENGTH): string {
  const shown = printable(text);
  return shown.length <= max ? shown : `${shown.slice(0, max)}… (${text.length} characters)`;
}

/** `text` as a JSON string, printable and cut to `max` characters (then saying how long it was). */
export function quoted(text: string, max = NAME_MAX_LENGTH): string {
  const cut = text.length <= max ? '' : `… (${text.length} characters)`;
  return `${printable(JSON.stringify(cut === '' ? text : text.slice(0, max)))}${cut}`;
}
