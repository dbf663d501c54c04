// A PDF file read by position, never whole: an indirect object at an offset, with its stream's bytes when it has one.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { type DictEntry, NeedMoreBytes, PdfLexer, PdfSyntaxError, type PdfValue } from './pdf-syntax.js';
import { readFully } from '../../../common/read-fully.js';

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** The value's bytes as the file has them (a stream's dictionary, for a stream). */
  valueBytes: Uint8Array;
  /** Where valueBytes starts in the positions of the value's dictionary entries. */
  valueStart: number;
  stream: { dict: Map<string, DictEntry>; data: Uint8Array } | null;
}

/** Resolves a stream's /Length when it is an indirect reference. */
export type LengthResolver = (value: PdfValue) => number;

const FIRST_WINDOW = 4096;
/** Reads go to the file a block at a time, and the blocks read last are kept (4 MiB): a part's objects lie near each other. */
const BLOCK_BYTES = 64 * 1024;
const KEPT_BLOCKS = 64;
const ENDSTREAM = 'endstream';

export class PdfFile {
  readonly size: number;
  #fd: number | null;
  readonly #blocks = new Map<number, Uint8Array>();

  private constructor(fd: number, size: number) {
    this.#fd = fd;
    this.size = size;
  }

  static open(path: string): PdfFile {
    const fd = openSync(path, 'r');
    try {
      return new PdfFile(fd, fstatSync(fd).size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Bytes at offset, at most length of them: a view of a kept block when one holds them, so copy to keep. */
  read(offset: number, length: number): Uint8Array {
    const index = Math.floor(offset / BLOCK_BYTES);
    const within = offset - index * BLOCK_BYTES;
    if (within + length > BLOCK_BYTES) return this.#readFile(offset, length);
    let block = this.#blocks.get(index);
    if (block) this.#blocks.delete(index);
    else block = this.#readFile(index * BLOCK_BYTES, BLOCK_BYTES);
    this.#blocks.set(index, block);
    if (this.#blocks.size > KEPT_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value!);
    return block.subarray(within, Math.min(block.length, within + length));
  }

  #readFile(offset: number, length: number): Uint8Array {
    if (this.#fd === null) throw new Error('the PDF file is closed');
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.allocUnsafeSlow(wanted);
    const done = readFully(this.#fd, buffer, offset);
    return done === wanted ? buffer : buffer.subarray(0, done);
  }

  /** Parses with a window of the file from offset, growing it while the value runs past the window's end. */
  parseAt<T>(offset: number, parse: (lexer: PdfLexer) => T): T {
    if (offset < 0 || offset >= this.size) throw new PdfSyntaxError(`offset ${offset} is outside the file (${this.size} bytes)`);
    for (let window = FIRST_WINDOW; ; window *= 4) {
      const bytes = this.read(offset, window);
      if (bytes.length < Math.min(window, this.size - offset)) throw new PdfSyntaxError(`the file is shorter than its ${this.size} bytes: it changed while being read`);
      try {
        return parse(new PdfLexer(bytes, 0, offset + bytes.length >= this.size));
      } catch (error) {
        if (!(error instanceof NeedMoreBytes)) throw error;
      }
    }
  }

  readObjectAt(offset: number, resolveLength: LengthResolver): IndirectObject {
    const head = this.parseAt(offset, (lexer) => {
      const num = lexer.integer();
      const gen = lexer.integer();
      if (lexer.word() !== 'obj') throw new PdfSyntaxError(`no "obj" after ${num} ${gen} at offset ${offset}`);
      lexer.skipSpace();
      const start = lexer.pos;
      const value = lexer.value();
      const valueBytes = lexer.bytes.slice(start, lexer.pos);
      const isStream = value.kind === 'dict' && lexer.word() === 'stream';
      if (isStream) lexer.skipToNextLine();
      return { num, gen, value, valueBytes, valueStart: start, dataOffset: isStream ? offset + lexer.pos : -1 };
    });
    const { num, gen, value, valueBytes, valueStart, dataOffset } = head;
    if (dataOffset < 0 || value.kind !== 'dict') return { num, gen, value, valueBytes, valueStart, stream: null };
    const lengthValue = value.entries.get('Length')?.value;
    if (!lengthValue) throw new PdfSyntaxError(`stream ${num} ${gen} has no /Length`);
    const length = resolveLength(lengthValue);
    if (!Number.isInteger(length) || length < 0 || dataOffset + length > this.size) throw new PdfSyntaxError(`stream ${num} ${gen}: /Length ${length} runs past the file`);
    const data = length > BLOCK_BYTES ? this.#readFile(dataOffset, length) : this.read(dataOffset, length).slice();
    const tail = new PdfLexer(this.read(dataOffset + length, 64));
    if (tail.word() !== ENDSTREAM) throw new PdfSyntaxError(`stream ${num} ${gen}: no endstream after /Length ${length} bytes`);
    return { num, gen, value, valueBytes, valueStart, stream: { dict: value.entries, data } };
  }

  close(): void {
    const fd = this.#fd;
    this.#fd = null;
    this.#blocks.clear();
    if (fd !== null) closeSync(fd);
  }
}
