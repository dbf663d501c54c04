// A warm spare: when a worker takes the range after which it will retire (by --pages-per-worker, or its RSS within
// 10% of --worker-rss-limit), the next worker starts at once and opens the document, so Node's start and pdf.js's
// reparse run while the last range is read, not after it. The spare waits, parked, until a worker's place is free.
// Only while memory allows: one more worker at the retiring one's size must fit in half the cap with the others.
import type { PageRange } from '../../common/worker-messages.js';

/** A worker's RSS at a batch's end is not its peak, and the supervisor and the page cache share the cap. */
export const SPARE_SHARE_OF_CAP = 0.5;
const NEAR_RSS_LIMIT = 0.9;

export class WarmSpares {
  readonly #pagesPerWorker: number;
  readonly #rssLimitMb: number;
  readonly #capMb: number;
  readonly #assigned = new Map<number, number>();
  readonly #rssMb = new Map<number, number>();
  readonly #spares = new Set<number>();

  constructor(pagesPerWorker: number, rssLimitMb: number, capBytes: number) {
    this.#pagesPerWorker = pagesPerWorker;
    this.#rssLimitMb = rssLimitMb;
    this.#capMb = capBytes / (1024 * 1024);
  }

  /** Records a hand-out; true when it is the worker's last range and a spare fits beside the running workers. */
  assigned(workerId: number, range: PageRange, workers: number): boolean {
    const pages = (this.#assigned.get(workerId) ?? 0) + range.last_page - range.first_page + 1;
    this.#assigned.set(workerId, pages);
    const rssMb = this.#rssMb.get(workerId);
    if (rssMb === undefined || this.#spares.size > 0) return false;
    const retiring = pages >= this.#pagesPerWorker || rssMb >= this.#rssLimitMb * NEAR_RSS_LIMIT;
    return retiring && (workers + 1) * rssMb <= this.#capMb * SPARE_SHARE_OF_CAP;
  }

  /** The worker's RSS as it last reported it (at the end of each batch). */
  rss(workerId: number, rssMb: number): void {
    this.#rssMb.set(workerId, rssMb);
  }

  started(workerId: number): void {
    this.#spares.add(workerId);
  }

  isSpare(workerId: number): boolean {
    return this.#spares.has(workerId);
  }

  /** The spare took its first range, or ended: it is a worker like the others. */
  promoted(workerId: number): void {
    this.#spares.delete(workerId);
  }

  ended(workerId: number): void {
    this.#spares.delete(workerId);
    this.#assigned.delete(workerId);
    this.#rssMb.delete(workerId);
  }
}
