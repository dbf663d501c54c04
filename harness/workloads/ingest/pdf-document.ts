// One PDF opened with pdf-parse, read a page at a time, and released when done.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PDFParse } from 'pdf-parse';

export class PdfReadError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'PdfReadError';
    this.file = file;
  }
}

export function describePdfError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return `the PDF is encrypted or password-protected (${message})`;
  if (name === 'InvalidPDFException') return `not a readable PDF: truncated or corrupt (${message})`;
  return `${name || 'error'}: ${message}`;
}

export class PdfDocument {
  readonly path: string;
  readonly pages: number;
  #parser: PDFParse | null;

  private constructor(path: string, parser: PDFParse, pages: number) {
    this.path = path;
    this.#parser = parser;
    this.pages = pages;
  }

  static async open(path: string): Promise<PdfDocument> {
    const data = await readFile(path);
    const parser = new PDFParse({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    try {
      const info = await parser.getInfo();
      return new PdfDocument(path, parser, info.total);
    } catch (error) {
      await parser.destroy().catch(() => undefined);
      throw new PdfReadError(basename(path), describePdfError(error), { cause: error });
    }
  }

  async pageText(page: number): Promise<string> {
    if (!this.#parser) throw new Error(`${this.path} is closed`);
    try {
      const result = await this.#parser.getText({ partial: [page] });
      return result.pages[0]?.text ?? '';
    } catch (error) {
      throw new PdfReadError(basename(this.path), `page ${page}: ${describePdfError(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const parser = this.#parser;
    this.#parser = null;
    await parser?.destroy();
  }
}
