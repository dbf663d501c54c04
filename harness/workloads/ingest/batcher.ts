// Groups items into batches by count, by UTF-8 bytes and by the age of the batch's first item. Pure: the clock
// is passed in, and the caller decides when to poll for the wait limit.
import type { BatchLimits } from './spec.js';
import type { BatchTrigger } from '../../common/worker-messages.js';

export interface BatchItem {
  fileIndex: number;
  page: number;
  text: string;
  bytes: number;
}

export interface Batch {
  seq: number;
  items: BatchItem[];
  bytes: number;
  trigger: BatchTrigger;
  /** True when one item was larger than max_bytes and went out alone. */
  oversizedItem: boolean;
  openedAtMs: number;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export class Batcher {
  readonly #limits: BatchLimits;
  #items: BatchItem[] = [];
  #bytes = 0;
  #openedAtMs = 0;
  #seq = 0;

  constructor(limits: BatchLimits) {
    this.#limits = limits;
  }

  get pendingItems(): number {
    return this.#items.length;
  }

  /** When the open batch reaches max_wait_ms, or null with nothing pending. */
  deadlineMs(): number | null {
    return this.#items.length === 0 ? null : this.#openedAtMs + this.#limits.max_wait_ms;
  }

  /** Adds one item; returns the batches that are due, oldest first. */
  add(item: BatchItem, nowMs: number): Batch[] {
    const due: Batch[] = [];
    const stale = this.poll(nowMs);
    if (stale) due.push(stale);
    const { max_bytes, max_items } = this.#limits;
    if (item.bytes > max_bytes) {
      // Never split an item: it goes out alone, after whatever was waiting.
      if (this.#items.length > 0) due.push(this.#take('bytes'));
      this.#open(item, nowMs);
      due.push(this.#take('bytes', true));
      return due;
    }
    if (this.#items.length > 0 && this.#bytes + item.bytes > max_bytes) due.push(this.#take('bytes'));
    if (this.#items.length === 0) this.#open(item, nowMs);
    else this.#append(item);
    if (this.#items.length >= max_items) due.push(this.#take('count'));
    else if (this.#bytes >= max_bytes) due.push(this.#take('bytes'));
    return due;
  }

  /** The open batch if it has waited max_wait_ms since its first item. */
  poll(nowMs: number): Batch | null {
    const deadline = this.deadlineMs();
    return deadline !== null && nowMs >= deadline ? this.#take('wait') : null;
  }

  /** Whatever is pending, at the end of the input. */
  end(): Batch | null {
    return this.#items.length > 0 ? this.#take('end') : null;
  }

  #open(item: BatchItem, nowMs: number): void {
    this.#items = [item];
    this.#bytes = item.bytes;
    this.#openedAtMs = nowMs;
  }

  #append(item: BatchItem): void {
    this.#items.push(item);
    this.#bytes += item.bytes;
  }

  #take(trigger: BatchTrigger, oversizedItem = false): Batch {
    this.#seq += 1;
    const batch = { seq: this.#seq, items: this.#items, bytes: this.#bytes, trigger, oversizedItem, openedAtMs: this.#openedAtMs };
    this.#items = [];
    this.#bytes = 0;
    return batch;
  }
}
