// Indirect objects by number, wherever the cross-reference puts them: in the file, or inside an object stream
// (ISO 32000-1 §7.5.7), whose decoded data is kept for the few streams read last.
import type { IndirectObject, PdfFile } from './pdf-file.js';
import { PdfLexer, PdfSyntaxError, type PdfValue, numberOf } from './pdf-syntax.js';
import { decodeStream } from './stream-data.js';
import { EntryType, type XrefTable } from './xref.js';

const KEPT_OBJECT_STREAMS = 4;
/** Larger object streams are decoded again when asked for, not kept. */
const KEPT_STREAM_BYTES = 2 * 1024 * 1024;

interface ObjectStream {
  data: Uint8Array;
  /** Each object's number and where its value starts in data. */
  objects: Array<{ num: number; start: number }>;
}

export class ObjectStore {
  readonly file: PdfFile;
  readonly table: XrefTable;
  readonly #streams = new Map<number, ObjectStream>();
  #resolvingLength = false;

  constructor(file: PdfFile, table: XrefTable) {
    this.file = file;
    this.table = table;
  }

  /** The object, or null for a free or missing one (which a PDF reader takes as null). */
  get(num: number): IndirectObject | null {
    const entry = this.table.get(num);
    // Offset 0 holds the header, never an object: pdf.js reads such an entry as null.
    if (entry.type === EntryType.InFile && entry.where === 0) return null;
    if (entry.type === EntryType.InFile) {
      const object = this.file.readObjectAt(entry.where, (value) => this.#length(value));
      if (object.num !== num || object.gen !== entry.index) throw new PdfSyntaxError(`the xref points object ${num} at ${entry.where}, where ${object.num} ${object.gen} is`);
      return object;
    }
    if (entry.type === EntryType.InStream) return this.#fromStream(num, entry.where, entry.index);
    return null;
  }

  #length(value: PdfValue): number {
    if (value.kind !== 'ref') return numberOf(value) ?? -1;
    // A /Length that is itself a stream would be read through here again: one level is all a PDF needs.
    if (this.#resolvingLength) throw new PdfSyntaxError(`stream /Length ${value.num} ${value.gen} R is not a number`);
    this.#resolvingLength = true;
    try {
      return numberOf(this.get(value.num)?.value) ?? -1;
    } finally {
      this.#resolvingLength = false;
    }
  }

  #fromStream(num: number, streamNum: number, index: number): IndirectObject {
    const stream = this.#objectStream(streamNum);
    const slot = stream.objects[index];
    if (!slot || slot.num !== num) throw new PdfSyntaxError(`object ${num} is not at index ${index} of object stream ${streamNum}`);
    const lexer = new PdfLexer(stream.data, slot.start);
    lexer.skipSpace();
    const start = lexer.pos;
    const value = lexer.value();
    return { num, gen: 0, value, valueBytes: stream.data.slice(start, lexer.pos), valueStart: start, stream: null };
  }

  #objectStream(streamNum: number): ObjectStream {
    const kept = this.#streams.get(streamNum);
    if (kept) return kept;
    const entry = this.table.get(streamNum);
    if (entry.type !== EntryType.InFile) throw new PdfSyntaxError(`object stream ${streamNum} is not in the file`);
    const object = this.file.readObjectAt(entry.where, (value) => this.#length(value));
    const dict = object.stream?.dict;
    const count = numberOf(dict?.get('N')?.value);
    const first = numberOf(dict?.get('First')?.value);
    if (!dict || object.num !== streamNum || count === null || first === null) throw new PdfSyntaxError(`object ${streamNum} is not an object stream`);
    const data = decodeStream(dict, object.stream!.data);
    const header = new PdfLexer(data);
    const objects: ObjectStream['objects'] = [];
    for (let i = 0; i < count; i += 1) objects.push({ num: header.integer(), start: first + header.integer() });
    const stream = { data, objects };
    if (data.length > KEPT_STREAM_BYTES) return stream;
    if (this.#streams.size >= KEPT_OBJECT_STREAMS) this.#streams.delete(this.#streams.keys().next().value!);
    this.#streams.set(streamNum, stream);
    return stream;
  }
}
