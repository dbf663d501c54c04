// Text that came from a run directory or a bundle, made safe to print or to store as text: control characters
// (which can move the cursor, clear the screen or retitle the window) and bidirectional overrides are shown as
// escapes instead of being passed to the terminal.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNSAFE_KEEPING_LINES = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One field on one line: every control character escaped, newlines too. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** A block of lines: newlines kept, every other control character escaped. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escape);
}

/** JSON for a terminal or a pipe: JSON.stringify escapes C0, and this escapes what it leaves (DEL, C1, bidi). */
export function printableJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
