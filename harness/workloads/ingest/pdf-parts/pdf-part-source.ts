// One input PDF, cut into PDFs of a few pages each as they are asked for, so that whoever reads them never holds
// the whole file: its cross-reference and page tree are read once, then only the objects a part's pages reach.
// A document this reader does not follow (encrypted, a broken cross-reference, filters it does not decode) is
// refused with a PdfSyntaxError when opened, and is then read whole.
import { ObjectStore } from './object-store.js';
import { type PageTree, readPage, walkPageTree } from './page-tree.js';
import { PdfFile } from './pdf-file.js';
import { type DictEntry, PdfSyntaxError, dictOf, numberOf } from './pdf-syntax.js';
import { writePart } from './part-writer.js';
import { readXref } from './xref.js';
import { errorMessage } from '../../../common/harness-error.js';

export { PdfSyntaxError } from './pdf-syntax.js';

function asSyntaxError(error: unknown): PdfSyntaxError {
  return error instanceof PdfSyntaxError ? error : new PdfSyntaxError(errorMessage(error), { cause: error });
}

/**
 * A linearization dictionary that pdf.js takes (its /L is the file's length) gives the page count (/N) and the first
 * page's object (/O) in its place: they must be the page tree's, or the whole document's pages would differ.
 */
function checkLinearization(file: PdfFile, tree: PageTree): void {
  let dict: Map<string, DictEntry> | null = null;
  try {
    dict = file.parseAt(0, (lexer) => {
      lexer.integer();
      lexer.integer();
      return lexer.word() === 'obj' ? dictOf(lexer.value()) : null;
    });
  } catch {
    return;
  }
  const linearized = numberOf(dict?.get('Linearized')?.value);
  if (!dict || linearized === null || linearized <= 0 || numberOf(dict.get('L')?.value) !== file.size) return;
  const first = tree.pages[numberOf(dict.get('P')?.value) ?? 0];
  if (numberOf(dict.get('N')?.value) !== tree.pages.length || !first || numberOf(dict.get('O')?.value) !== first.num) {
    throw new PdfSyntaxError("the linearization dictionary's /N or /O is not the page tree's");
  }
}

export class PdfPartSource {
  readonly #file: PdfFile;
  readonly #store: ObjectStore;
  readonly #tree: PageTree;
  readonly #treeNums: Set<number>;

  private constructor(file: PdfFile, store: ObjectStore, tree: PageTree, treeNums: Set<number>) {
    this.#file = file;
    this.#store = store;
    this.#tree = tree;
    this.#treeNums = treeNums;
  }

  static open(path: string): PdfPartSource {
    const file = PdfFile.open(path);
    try {
      const { table, trailer } = readXref(file);
      if (trailer.has('Encrypt')) throw new PdfSyntaxError('the document is encrypted');
      const root = trailer.get('Root')?.value;
      const store = new ObjectStore(file, table);
      const catalog = root?.kind === 'ref' ? store.get(root.num) : null;
      const pages = catalog ? dictOf(catalog.value)?.get('Pages')?.value : undefined;
      if (root?.kind !== 'ref' || pages?.kind !== 'ref') throw new PdfSyntaxError('no catalog with a /Pages reference');
      const tree = walkPageTree(store, pages);
      // pdf.js fetches these two on opening, and rebuilds the cross-reference by scanning when either fails.
      readPage(store, tree, tree.pages[0]!);
      readPage(store, tree, tree.pages.at(-1)!);
      checkLinearization(file, tree);
      const treeNums = new Set([root.num, ...tree.nodes.map((node) => node.num), ...tree.pages.map((page) => page.num)]);
      return new PdfPartSource(file, store, tree, treeNums);
    } catch (error) {
      file.close();
      throw asSyntaxError(error);
    }
  }

  get pages(): number {
    return this.#tree.pages.length;
  }

  /** Pages first..last (1-based, inclusive) as a PDF of their own; a PdfSyntaxError when they cannot be cut. */
  cut(first: number, last: number): Uint8Array {
    try {
      return writePart(this.#store, this.#tree, this.#treeNums, first, last);
    } catch (error) {
      throw asSyntaxError(error);
    }
  }

  close(): void {
    this.#file.close();
  }
}
