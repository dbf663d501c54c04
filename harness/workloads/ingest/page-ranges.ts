// Cuts each input into page ranges of --range-pages, in file order, handed out one at a time. When workers read
// inputs in parts (--part-pages), a worker is given the next range of the part it is reading, or else the first
// range of a part no other worker is reading, so that each part is cut and opened by one worker, not by all.
import type { PageRange } from '../../common/worker-messages.js';

/** The part (0, 1, ...) that holds a page, in parts of partPages pages. */
export function partIndex(page: number, partPages: number): number {
  return Math.floor((page - 1) / partPages);
}

export class PageRangeQueue {
  readonly #rangePages: number;
  readonly #partPages: number;
  readonly #pending: PageRange[] = [];

  /** partPages 0: inputs are read whole, and ranges go in file order. */
  constructor(rangePages: number, partPages = 0) {
    this.#rangePages = rangePages;
    this.#partPages = partPages;
  }

  /** A range never crosses into the next part: a worker then holds one part at a time. */
  addFile(fileIndex: number, pages: number): void {
    for (let first = 1; first <= pages; ) {
      const partEnd = this.#partPages > 0 ? (partIndex(first, this.#partPages) + 1) * this.#partPages : pages;
      const last = Math.min(pages, partEnd, first + this.#rangePages - 1);
      this.#pending.push({ file_index: fileIndex, first_page: first, last_page: last });
      first = last + 1;
    }
    this.#pending.sort((a, b) => a.file_index - b.file_index || a.first_page - b.first_page);
  }

  get remaining(): number {
    return this.#pending.length;
  }

  #samePart(a: PageRange, b: PageRange): boolean {
    return a.file_index === b.file_index && partIndex(a.first_page, this.#partPages) === partIndex(b.first_page, this.#partPages);
  }

  #index(after: PageRange | null, others: readonly PageRange[]): number {
    if (this.#partPages <= 0 || this.#pending.length === 0) return 0;
    if (after) {
      const same = this.#pending.findIndex((range) => this.#samePart(range, after));
      if (same >= 0) return same;
    }
    const free = this.#pending.findIndex((range) => !others.some((other) => this.#samePart(range, other)));
    return free >= 0 ? free : 0;
  }

  /** The range next() would give, left in the queue. */
  peek(after: PageRange | null = null, others: readonly PageRange[] = []): PageRange | null {
    return this.#pending[this.#index(after, others)] ?? null;
  }

  /** The next range for a worker whose last range was `after` (null: none yet), while others read theirs. */
  next(after: PageRange | null = null, others: readonly PageRange[] = []): PageRange | null {
    return this.#pending.splice(this.#index(after, others), 1)[0] ?? null;
  }
}
