// One PDF opened once per worker with pdf-parse and read a page at a time through its pdf.js document, and
// released when done. A page's text is what pdf-parse's getText() gives for that page, byte for byte (a test
// compares them on every fixture): the same pdf.js page, the same pdf-parse text assembly, without getText's
// walk over every page number of the document for each page asked, and without getInfo's outline and labels.
// pdf-parse is loaded through pdf-parse-loader.ts, which gives pdf.js Node's own Array.prototype.push back.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PDFParse } from 'pdf-parse';
import { loadPdfParse } from './pdf-parse-loader.js';

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

interface PdfJsPage {
  cleanup(): unknown;
}

interface PdfJsDocument {
  numPages: number;
  getPage(page: number): Promise<PdfJsPage>;
}

/** The two steps of getText() that pdf-parse keeps private: its pdf.js document, and one page's text from it. */
interface PdfParseInternals {
  load(): Promise<PdfJsDocument>;
  getPageText(page: PdfJsPage, params: object, total: number): Promise<string>;
}

function internalsOf(parser: PDFParse): PdfParseInternals | null {
  const candidate = parser as unknown as Partial<PdfParseInternals>;
  return typeof candidate.load === 'function' && typeof candidate.getPageText === 'function' ? (candidate as PdfParseInternals) : null;
}

export class PdfDocument {
  readonly path: string;
  readonly pages: number;
  #parser: PDFParse | null;
  readonly #doc: PdfJsDocument | null;

  private constructor(path: string, parser: PDFParse, pages: number, doc: PdfJsDocument | null) {
    this.path = path;
    this.#parser = parser;
    this.pages = pages;
    this.#doc = doc;
  }

  static async open(path: string): Promise<PdfDocument> {
    const data = await readFile(path);
    return PdfDocument.fromBytes(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** A document held in memory (a part cut from path, say); errors name path's file. */
  static async fromBytes(path: string, data: Uint8Array): Promise<PdfDocument> {
    const { PDFParse } = await loadPdfParse();
    const parser = new PDFParse({ data });
    try {
      const internals = internalsOf(parser);
      // The page count is all a worker needs: getInfo() would also read the outline, labels and metadata.
      if (!internals) return new PdfDocument(path, parser, (await parser.getInfo()).total, null);
      const doc = await internals.load.call(parser);
      return new PdfDocument(path, parser, doc.numPages, doc);
    } catch (error) {
      await parser.destroy().catch(() => undefined);
      throw new PdfReadError(basename(path), describePdfError(error), { cause: error });
    }
  }

  async pageText(page: number): Promise<string> {
    const parser = this.#parser;
    if (!parser) throw new Error(`${this.path} is closed`);
    try {
      return await this.#read(parser, page);
    } catch (error) {
      throw new PdfReadError(basename(this.path), `page ${page}: ${describePdfError(error)}`, { cause: error });
    }
  }

  async #read(parser: PDFParse, page: number): Promise<string> {
    const internals = internalsOf(parser);
    if (!this.#doc || !internals) return (await parser.getText({ partial: [page] })).pages[0]?.text ?? '';
    const proxy = await this.#doc.getPage(page);
    const text = await internals.getPageText.call(parser, proxy, {}, this.pages);
    proxy.cleanup();
    return text;
  }

  async close(): Promise<void> {
    const parser = this.#parser;
    this.#parser = null;
    await parser?.destroy();
  }
}
