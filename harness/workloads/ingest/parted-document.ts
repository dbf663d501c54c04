// An input read as PDFs of at most --part-pages pages, cut from it as its pages are asked for (pdf-parts/), so a
// worker holds one part and never the whole file; the part it is done with is released before the next is cut.
// The text of a page is the same as from the whole document (a test compares them on every fixture and on real
// manuals). A document the cut does not follow is read whole; so is the rest of one whose part fails to cut or read.
import { basename } from 'node:path';
import { collectGarbage } from '../../common/collect-garbage.js';
import { errorMessage } from '../../common/harness-error.js';
import { partIndex } from './page-ranges.js';
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

export class PartedDocument implements PageSource {
  readonly path: string;
  readonly #source: PdfPartSource;
  readonly #partPages: number;
  #part: OpenPart | null = null;
  /** Set once a part failed to cut or read: from that page on, the document is read whole, for that reason. */
  #whole: { fromPage: number; pages: number; why: string } | null = null;

  /** Owns source. No part is cut before a page is asked for: a fresh worker cuts only the part it reads. */
  private constructor(path: string, source: PdfPartSource, partPages: number) {
    this.path = path;
    this.#source = source;
    this.#partPages = partPages;
  }

  /** The page tree's count; once read whole after a failed cut, pdf.js's count of the whole document. */
  get pages(): number {
    return this.#whole?.pages ?? this.#source.pages;
  }

  /** The page from which a failed cut had the document read whole, or null while every page came from a part. */
  get readWholeFrom(): number | null {
    return this.#whole?.fromPage ?? null;
  }

  /** How it is read, as ingest_manifest.json's read_as says it: in parts, and whole from where a cut failed. */
  get readAs(): string {
    const parts = `in parts of ${this.#partPages} pages`;
    return this.#whole ? `${parts}, then whole from page ${this.#whole.fromPage}: ${this.#whole.why}` : parts;
  }

  /** Throws when the document cannot be cut; the caller then reads it whole. */
  static open(path: string, partPages: number): PartedDocument {
    return new PartedDocument(path, PdfPartSource.open(path), partPages);
  }

  /** Why the document is read whole instead: it has at most partPages pages (one part: itself), or cannot be cut. */
  static async openIfLonger(path: string, partPages: number): Promise<PartedDocument | string> {
    let source: PdfPartSource;
    try {
      source = PdfPartSource.open(path);
    } catch (error) {
      return `not cut: ${errorMessage(error)}`;
    }
    if (source.pages <= partPages) {
      source.close();
      return `${source.pages} pages, within one part`;
    }
    return new PartedDocument(path, source, partPages);
  }

  async #partFor(page: number): Promise<OpenPart> {
    const open = this.#part;
    if (open && page >= open.first && page <= open.last) return open;
    await this.#closePart();
    const first = partIndex(page, this.#partPages) * this.#partPages + 1;
    const last = Math.min(this.pages, first + this.#partPages - 1);
    try {
      this.#part = { first, last, doc: await this.#cut(first, last) };
      return this.#part;
    } catch (error) {
      // A page the tree's walk took unread was none, say: the rest is read whole, as pdf.js reads it.
      const planned = this.pages;
      const doc = await PdfDocument.open(this.path);
      const counted = doc.pages === planned ? '' : ` (pdf.js counts ${doc.pages} pages, the page tree ${planned})`;
      const why = `${errorMessage(error)}${counted}`;
      process.stderr.write(`${basename(this.path)}: reading pages ${first}-${planned} whole: ${why}\n`);
      this.#source.close();
      // The whole document is then the one open part: every later page falls inside it.
      this.#whole = { fromPage: first, pages: doc.pages, why };
      this.#part = { first: 1, last: doc.pages, doc };
      return this.#part;
    }
  }

  /** The part's document, checked to hold as many pages as it was cut with. */
  async #cut(first: number, last: number): Promise<PdfDocument> {
    const doc = await PdfDocument.fromBytes(this.path, this.#source.cut(first, last));
    if (doc.pages === last - first + 1) return doc;
    await doc.close().catch(() => undefined);
    throw new Error(`pdf.js reads ${doc.pages} pages in part ${first}-${last}`);
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
    try {
      await this.#closePart();
    } finally {
      this.#source.close();
    }
  }
}

/** An input opened, and how: in parts, or whole and why (as ingest_manifest.json records it). */
export interface OpenedInput {
  doc: PageSource;
  readAs: string;
}

/** The input in parts of partPages pages when it has more pages than that and can be cut (0: whole), else whole. */
export async function openPageSource(path: string, partPages: number): Promise<OpenedInput> {
  const parted = partPages > 0 ? await PartedDocument.openIfLonger(path, partPages) : '--part-pages off';
  if (typeof parted !== 'string') return { doc: parted, readAs: parted.readAs };
  return { doc: await PdfDocument.open(path), readAs: `whole: ${parted}` };
}
