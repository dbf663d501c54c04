// PDF object syntax (ISO 32000-1 §7.3), read from bytes: just enough to follow references and copy objects as
// they are. Strings are kept as spans, never decoded; a dictionary remembers where each value's bytes lie.

export type PdfValue =
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'string' }
  | { kind: 'ref'; num: number; gen: number }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'dict'; entries: Map<string, DictEntry> }
  | { kind: 'keyword'; value: string };

export interface DictEntry {
  value: PdfValue;
  /** The value's bytes: [start, end) in the buffer it was read from. */
  start: number;
  end: number;
}

/** The bytes ran out before the value ended: read more of the file and try again. */
export class NeedMoreBytes extends Error {
  override name = 'NeedMoreBytes';
}

/** The bytes are not PDF syntax this reader follows. */
export class PdfSyntaxError extends Error {
  override name = 'PdfSyntaxError';
}

const MAX_DEPTH = 256;
/** Values a lexer makes at most: an object larger than this is not followed (a page tree node of 100,000 kids is 300,000). */
const MAX_VALUES = 1_000_000;
const WHITE = new Set([0, 9, 10, 12, 13, 32]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

function isRegular(byte: number | undefined): boolean {
  return byte !== undefined && !WHITE.has(byte) && !DELIMITERS.has(byte);
}

export class PdfLexer {
  readonly bytes: Uint8Array;
  pos: number;
  /** Whether the buffer ends where the file ends (then running out is a syntax error, not a short read). */
  readonly complete: boolean;

  constructor(bytes: Uint8Array, pos = 0, complete = true) {
    this.bytes = bytes;
    this.pos = pos;
    this.complete = complete;
  }

  #outOfBytes(): never {
    throw this.complete ? new PdfSyntaxError(`unexpected end of data at ${this.pos}`) : new NeedMoreBytes();
  }

  #peek(): number | undefined {
    return this.bytes[this.pos];
  }

  skipSpace(): void {
    for (;;) {
      const byte = this.#peek();
      if (byte === undefined) return;
      if (WHITE.has(byte)) this.pos += 1;
      else if (byte === 0x25) {
        while (this.pos < this.bytes.length && this.bytes[this.pos] !== 10 && this.bytes[this.pos] !== 13) this.pos += 1;
      } else return;
    }
  }

  /** Past the next end of line (CR, LF or CRLF), as pdf.js starts a stream's data. */
  skipToNextLine(): void {
    for (;;) {
      const byte = this.#peek();
      if (byte === undefined) this.#outOfBytes();
      this.pos += 1;
      if (byte === 10) return;
      if (byte === 13) {
        if (this.#peek() === undefined && !this.complete) this.#outOfBytes();
        if (this.#peek() === 10) this.pos += 1;
        return;
      }
    }
  }

  /** A bare word (obj, stream, endobj, true, R ...) or number text, without moving past anything else. */
  word(): string {
    this.skipSpace();
    const start = this.pos;
    while (isRegular(this.#peek())) this.pos += 1;
    if (this.pos === this.bytes.length && !this.complete) this.#outOfBytes();
    let text = '';
    for (let i = start; i < this.pos && i < start + 256; i += 1) text += String.fromCharCode(this.bytes[i]!);
    return text;
  }

  /** A non-negative integer, read without making a string of it. */
  integer(): number {
    this.skipSpace();
    const start = this.pos;
    let value = 0;
    while (this.bytes[this.pos]! >= 0x30 && this.bytes[this.pos]! <= 0x39) value = value * 10 + this.bytes[this.pos++]! - 0x30;
    if (this.pos === this.bytes.length && !this.complete) this.#outOfBytes();
    if (this.pos === start || isRegular(this.#peek())) throw new PdfSyntaxError(`expected an integer at ${start}`);
    return value;
  }

  #values = 0;

  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError(`objects nested deeper than ${MAX_DEPTH}`);
    if ((this.#values += 1) > MAX_VALUES) throw new PdfSyntaxError(`an object of more than ${MAX_VALUES} values`);
    this.skipSpace();
    const byte = this.#peek();
    if (byte === undefined) this.#outOfBytes();
    if (byte === 0x3c && this.bytes[this.pos + 1] === 0x3c) return this.#dict(depth);
    if (byte === 0x3c) return this.#hexString();
    if (byte === 0x28) return this.#literalString();
    if (byte === 0x5b) return this.#array(depth);
    if (byte === 0x2f) return this.#name();
    if ((byte >= 0x30 && byte <= 0x39) || byte === 0x2b || byte === 0x2d || byte === 0x2e) return this.#numberOrRef();
    if (!isRegular(byte)) throw new PdfSyntaxError(`unexpected ${JSON.stringify(String.fromCharCode(byte))} at ${this.pos}`);
    return { kind: 'keyword', value: this.word() };
  }

  #dict(depth: number): PdfValue {
    this.pos += 2;
    const entries = new Map<string, DictEntry>();
    for (;;) {
      this.skipSpace();
      const byte = this.#peek();
      if (byte === undefined) this.#outOfBytes();
      if (byte === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return { kind: 'dict', entries };
      }
      const key = this.value(depth + 1);
      if (key.kind !== 'name') throw new PdfSyntaxError(`a dictionary key at ${this.pos} is not a name`);
      this.skipSpace();
      const start = this.pos;
      const value = this.value(depth + 1);
      entries.set(key.value, { value, start, end: this.pos });
    }
  }

  #array(depth: number): PdfValue {
    this.pos += 1;
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      const byte = this.#peek();
      if (byte === undefined) this.#outOfBytes();
      if (byte === 0x5d) {
        this.pos += 1;
        return { kind: 'array', items };
      }
      items.push(this.value(depth + 1));
    }
  }

  #hexString(): PdfValue {
    const end = this.bytes.indexOf(0x3e, this.pos);
    if (end < 0) this.#outOfBytes();
    this.pos = end + 1;
    return { kind: 'string' };
  }

  #literalString(): PdfValue {
    let depth = 0;
    for (;;) {
      const byte = this.#peek();
      if (byte === undefined) this.#outOfBytes();
      this.pos += byte === 0x5c ? 2 : 1;
      if (byte === 0x28) depth += 1;
      else if (byte === 0x29 && --depth === 0) return { kind: 'string' };
    }
  }

  #name(): PdfValue {
    this.pos += 1;
    const raw = this.word();
    return { kind: 'name', value: raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
  }

  #numberOrRef(): PdfValue {
    const text = this.word();
    const value = Number(text);
    if (!/^\d+$/.test(text)) {
      if (Number.isNaN(value)) throw new PdfSyntaxError(`not a number at ${this.pos - text.length}: ${JSON.stringify(text.slice(0, 20))}`);
      return { kind: 'number', value };
    }
    const after = this.pos;
    const gen = this.word();
    if (/^\d+$/.test(gen) && this.word() === 'R') return { kind: 'ref', num: value, gen: Number(gen) };
    this.pos = after;
    return { kind: 'number', value };
  }
}

/** Every reference a value holds, however deep. */
export function refsIn(value: PdfValue, out: Array<{ num: number; gen: number }> = []): Array<{ num: number; gen: number }> {
  if (value.kind === 'ref') out.push(value);
  else if (value.kind === 'array') for (const item of value.items) refsIn(item, out);
  else if (value.kind === 'dict') for (const entry of value.entries.values()) refsIn(entry.value, out);
  return out;
}

export function dictOf(value: PdfValue): Map<string, DictEntry> | null {
  return value.kind === 'dict' ? value.entries : null;
}

export function nameOf(value: PdfValue | undefined): string | null {
  return value?.kind === 'name' ? value.value : null;
}

export function numberOf(value: PdfValue | undefined): number | null {
  return value?.kind === 'number' ? value.value : null;
}
