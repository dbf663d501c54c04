// The cross-reference of a PDF (ISO 32000-1 §7.5.4, §7.5.8): tables and streams, through /Prev and /XRefStm, the
// newest section winning. Where each object is: at an offset, or inside an object stream, or free.
import type { PdfFile } from './pdf-file.js';
import { type DictEntry, PdfSyntaxError, dictOf, numberOf } from './pdf-syntax.js';
import { decodeStream } from './stream-data.js';

const MAX_OBJECTS = 10_000_000;
const MAX_SECTIONS = 1000;

export const enum EntryType {
  Unset = 0,
  Free = 1,
  InFile = 2,
  InStream = 3,
}

export class XrefTable {
  #types = new Uint8Array(1024);
  /** The offset (in the file), or the number of the object stream. */
  #where = new Float64Array(1024);
  /** The generation (in the file), or the index within the object stream. */
  #index = new Uint32Array(1024);
  size = 0;

  #grow(num: number): void {
    if (num >= MAX_OBJECTS) throw new PdfSyntaxError(`object number ${num} is past ${MAX_OBJECTS}`);
    if (num < this.#types.length) return;
    const length = Math.max(num + 1, this.#types.length * 2);
    const types = new Uint8Array(length);
    types.set(this.#types);
    const where = new Float64Array(length);
    where.set(this.#where);
    const index = new Uint32Array(length);
    index.set(this.#index);
    [this.#types, this.#where, this.#index] = [types, where, index];
  }

  /** Sets an entry unless a newer section already did. */
  offer(num: number, type: EntryType, where: number, index: number): void {
    this.#grow(num);
    if (this.#types[num] !== EntryType.Unset) return;
    this.#types[num] = type;
    this.#where[num] = where;
    this.#index[num] = index;
    this.size = Math.max(this.size, num + 1);
  }

  get(num: number): { type: EntryType; where: number; index: number } {
    if (!Number.isInteger(num) || num < 0 || num >= this.#types.length) return { type: EntryType.Unset, where: 0, index: 0 };
    return { type: this.#types[num] as EntryType, where: this.#where[num]!, index: this.#index[num]! };
  }
}

function startXref(file: PdfFile): number {
  const tailLength = Math.min(file.size, 1024);
  const tail = Buffer.from(file.read(file.size - tailLength, tailLength)).toString('latin1');
  const match = /^startxref\s+(\d+)/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!match) throw new PdfSyntaxError('no startxref at the end of the file');
  return Number(match[1]);
}

function readTable(file: PdfFile, offset: number, table: XrefTable): Map<string, DictEntry> {
  return file.parseAt(offset, (lexer) => {
    if (lexer.word() !== 'xref') throw new PdfSyntaxError(`no xref table at ${offset}`);
    for (;;) {
      const first = lexer.word();
      if (first === 'trailer') break;
      const count = lexer.integer();
      if (!/^\d+$/.test(first)) throw new PdfSyntaxError(`a bad xref subsection at ${offset}`);
      for (let i = 0; i < count; i += 1) {
        const where = lexer.integer();
        const gen = lexer.integer();
        const kind = lexer.word();
        if (kind !== 'n' && kind !== 'f') throw new PdfSyntaxError(`a bad xref entry for object ${Number(first) + i}`);
        table.offer(Number(first) + i, kind === 'n' ? EntryType.InFile : EntryType.Free, where, gen);
      }
    }
    const trailer = dictOf(lexer.value());
    if (!trailer) throw new PdfSyntaxError(`no trailer dictionary after the xref table at ${offset}`);
    return trailer;
  });
}

function readStreamSection(file: PdfFile, offset: number, table: XrefTable): Map<string, DictEntry> {
  const object = file.readObjectAt(offset, (value) => {
    const length = numberOf(value);
    if (length === null) throw new PdfSyntaxError('an xref stream with an indirect /Length');
    return length;
  });
  const dict = object.stream?.dict;
  if (!dict || dict.get('Type')?.value.kind !== 'name') throw new PdfSyntaxError(`no xref stream at ${offset}`);
  const widths = dict.get('W')?.value;
  const w = widths?.kind === 'array' ? widths.items.map((item) => numberOf(item) ?? -1) : [];
  if (w.length !== 3 || w.some((width) => width < 0 || width > 8) || w[1] === 0) throw new PdfSyntaxError('an xref stream with a bad /W');
  const indexValue = dict.get('Index')?.value;
  const index = indexValue?.kind === 'array' ? indexValue.items.map((item) => numberOf(item) ?? -1) : [0, numberOf(dict.get('Size')?.value) ?? 0];
  const data = decodeStream(dict, object.stream!.data);
  const rowBytes = w[0]! + w[1]! + w[2]!;
  const field = (at: number, width: number) => {
    let value = 0;
    for (let i = 0; i < width; i += 1) value = value * 256 + data[at + i]!;
    return value;
  };
  let at = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    const [first, count] = [index[s]!, index[s + 1]!];
    if (first < 0 || count < 0) throw new PdfSyntaxError('an xref stream with a bad /Index');
    for (let i = 0; i < count && at + rowBytes <= data.length; i += 1, at += rowBytes) {
      const type = w[0] === 0 ? 1 : field(at, w[0]!);
      const [two, three] = [field(at + w[0]!, w[1]!), field(at + w[0]! + w[1]!, w[2]!)];
      if (type === 0) table.offer(first + i, EntryType.Free, 0, 0);
      else if (type === 1) table.offer(first + i, EntryType.InFile, two, three);
      else if (type === 2) table.offer(first + i, EntryType.InStream, two, three);
    }
  }
  return dict;
}

/** The whole cross-reference, and the newest trailer. */
export function readXref(file: PdfFile): { table: XrefTable; trailer: Map<string, DictEntry> } {
  const table = new XrefTable();
  const queue = [startXref(file)];
  const seen = new Set<number>();
  let trailer: Map<string, DictEntry> | null = null;
  while (queue.length > 0) {
    const offset = queue.shift()!;
    if (seen.has(offset)) continue;
    if (seen.size >= MAX_SECTIONS) throw new PdfSyntaxError(`more than ${MAX_SECTIONS} xref sections`);
    seen.add(offset);
    const isTable = file.parseAt(offset, (lexer) => lexer.word() === 'xref');
    const dict = isTable ? readTable(file, offset, table) : readStreamSection(file, offset, table);
    trailer ??= dict;
    // Like pdf.js, /XRefStm is followed from a table's trailer only (a hybrid file).
    for (const key of isTable ? ['XRefStm', 'Prev'] : ['Prev']) {
      const next = numberOf(dict.get(key)?.value);
      if (next !== null) queue.push(next);
    }
  }
  if (!trailer) throw new PdfSyntaxError('no trailer');
  return { table, trailer };
}
