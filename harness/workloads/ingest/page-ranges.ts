// Cuts each input into page ranges of --range-pages, in file order, handed out one at a time.
import type { PageRange } from '../../common/worker-messages.js';

export class PageRangeQueue {
  readonly #rangePages: number;
  readonly #pending: PageRange[] = [];

  constructor(rangePages: number) {
    this.#rangePages = rangePages;
  }

  addFile(fileIndex: number, pages: number): void {
    for (let first = 1; first <= pages; first += this.#rangePages) {
      this.#pending.push({ file_index: fileIndex, first_page: first, last_page: Math.min(pages, first + this.#rangePages - 1) });
    }
    this.#pending.sort((a, b) => a.file_index - b.file_index || a.first_page - b.first_page);
  }

  get remaining(): number {
    return this.#pending.length;
  }

  /** The range next() would give, left in the queue. */
  peek(): PageRange | null {
    return this.#pending[0] ?? null;
  }

  next(): PageRange | null {
    return this.#pending.shift() ?? null;
  }
}
