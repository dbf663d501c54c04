// Where each ingest worker is: the range it holds, the page it is extracting, how many pages of the range it has
// extracted, and the pages it has extracted but not yet handed to a batch. At a death, this is the culprit.
import type { PageRange } from '../../common/worker-messages.js';
import type { Culprit } from './ingest-manifest.js';

interface Position {
  range: PageRange;
  /** The page the worker announced last: being extracted now. */
  page: number | null;
  /** Pages of the range finished: every page announced before the current one. */
  extracted: number;
  /** The last page that went into a batch the worker started flushing. */
  lastBatchedPage: number;
}

export class WorkerPositions {
  readonly #positions = new Map<number, Position>();

  assigned(workerId: number, range: PageRange): void {
    this.#positions.set(workerId, { range, page: null, extracted: 0, lastBatchedPage: range.first_page - 1 });
  }

  pageStarted(workerId: number, page: number): void {
    const position = this.#positions.get(workerId);
    if (!position) return;
    if (position.page !== null) position.extracted += 1;
    position.page = page;
  }

  batchStarted(workerId: number, spans: readonly PageRange[]): void {
    const position = this.#positions.get(workerId);
    if (!position) return;
    for (const span of spans) {
      if (span.file_index === position.range.file_index) position.lastBatchedPage = Math.max(position.lastBatchedPage, span.last_page);
    }
  }

  /** The range is done: forgets the worker and returns how many pages it extracted of it. */
  done(workerId: number): void {
    this.#positions.delete(workerId);
  }

  /** Pages extracted in the ranges workers hold now. */
  extractedInOpenRanges(): number {
    let pages = 0;
    for (const position of this.#positions.values()) pages += position.extracted;
    return pages;
  }

  /** The range a worker held when it ended without finishing it, or null. */
  unfinished(workerId: number): Position | null {
    const position = this.#positions.get(workerId) ?? null;
    this.#positions.delete(workerId);
    return position;
  }

  static culprit(workerId: number, file: string, position: Position, batchInFlightId: number | null): Culprit {
    const { range, page } = position;
    const lastExtracted = page === null ? range.first_page - 1 : page - 1;
    const assembling =
      lastExtracted > position.lastBatchedPage ? { first_page: position.lastBatchedPage + 1, last_page: lastExtracted, items: lastExtracted - position.lastBatchedPage } : null;
    return {
      worker_id: workerId,
      file,
      file_index: range.file_index,
      range: { first_page: range.first_page, last_page: range.last_page },
      page,
      pages_extracted_in_range: position.extracted,
      assembling,
      batch_in_flight_id: batchInFlightId,
    };
  }
}
