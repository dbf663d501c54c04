// An input read as PDFs of at most --part-pages pages, cut from it as its pages are asked for (pdf-parts/), so a
// worker holds one part and never the whole file; the part it is done with is released before the next is cut.
// The text of a page is the same as from the whole document (a test compares them on every fixture and on real
// manuals). A document the cut does not follow, or whose first part pdf.js does not read as expected, is read whole.
import { basename } from 'node:path';
import { PdfDocument, PdfReadError, describePdfError } from './pdf-document.js';
import { PdfPartSource } from './pdf-parts/pdf-part-source.js';

/** What a worker reads pages from: one document, whole or in parts. */
export interface PageSource {
  readonly path: string;
  readonly pages: number;
  pageText(page: number): Promise<string>;
  close(): Promise<void>;
}

interface OpenPart {
  first: number;
  last: number;
  doc: PdfDocument;
}

/** Drops what a closed part left on the heap at once (workers run with --expose-gc): a part's peak stays its own. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export class PartedDocument implements PageSource {
  readonly path: string;
  readonly #source: PdfPartSource;
  readonly #partPages: number;
  #part: OpenPart | null = null;

  private constructor(path: string, source: PdfPartSource, partPages: number) {
    this.path = path;
    this.#source = source;
    this.#partPages = partPages;
  }

  get pages(): number {
    return this.#source.pages;
  }

  /** Throws when the document cannot be read in parts; the caller then reads it whole. */
  static async open(path: string, partPages: number): Promise<PartedDocument> {
    const source = PdfPartSource.open(path);
    const parted = new PartedDocument(path, source, partPages);
    try {
      const part = await parted.#partFor(1);
      if (part.doc.pages !== part.last - part.first + 1) throw new Error(`pdf.js reads ${part.doc.pages} pages in part ${part.first}-${part.last}`);
      return parted;
    } catch (error) {
      await parted.close();
      throw error;
    }
  }

  async #partFor(page: number): Promise<OpenPart> {
    const open = this.#part;
    if (open && page >= open.first && page <= open.last) return open;
    await this.#closePart();
    const first = Math.floor((page - 1) / this.#partPages) * this.#partPages + 1;
    const last = Math.min(this.pages, first + this.#partPages - 1);
    const doc = await PdfDocument.fromBytes(this.path, this.#source.cut(first, last));
    this.#part = { first, last, doc };
    return this.#part;
  }

  async pageText(page: number): Promise<string> {
    if (!Number.isInteger(page) || page < 1 || page > this.pages) {
      throw new PdfReadError(basename(this.path), `page ${page}: ${describePdfError(new Error(`Invalid page request: the document has ${this.pages} pages`))}`);
    }
    const part = await this.#partFor(page);
    try {
      return await part.doc.pageText(page - part.first + 1);
    } catch (error) {
      const cause = error instanceof PdfReadError ? error.cause : error;
      throw new PdfReadError(basename(this.path), `page ${page}: ${describePdfError(cause)}`, { cause });
    }
  }

  async #closePart(): Promise<void> {
    const part = this.#part;
    this.#part = null;
    if (!part) return;
    await part.doc.close();
    collectGarbage();
  }

  async close(): Promise<void> {
    await this.#closePart();
    this.#source.close();
  }
}

/** The input in parts of partPages pages when it can be cut (0: whole), else whole. */
export async function openPageSource(path: string, partPages: number): Promise<PageSource> {
  if (partPages > 0) {
    try {
      return await PartedDocument.open(path, partPages);
    } catch {
      // Read whole: the whole document's own error, if it has one, is the one to report.
    }
  }
  return PdfDocument.open(path);
}
