// How many ingest workers run at once. A count given with --workers N is N throughout. With --workers auto, one
// starts (the planning one); each batch a worker ends reports its RSS, and the count becomes as many workers as half
// the cap holds at the largest RSS reported so far, from one up to the most the run allows (run-config.json's
// `workers`: its CPUs, heaps and pids limit; run/heap-size.ts) and the CPUs its container sees.
// Half, as for a warm spare: a worker's RSS at a batch's end is not its peak, and the supervisor and the page cache
// share the cap. The count may fall as well as rise: a worker that grows leaves fewer places for the next ones, but
// no running worker is stopped for it.
import { availableParallelism } from 'node:os';
import type { AutoWorkers } from './ingest-manifest.js';
import { SPARE_SHARE_OF_CAP } from './warm-spare.js';

const MIB = 1024 * 1024;

export class WorkerTarget {
  readonly #auto: boolean;
  readonly #limit: number;
  /** What set the limit, in words. */
  readonly #bound: string;
  readonly #capMb: number;
  #value: number;
  #largestRssMb: number | null = null;
  /** Workers of the largest RSS that half the cap holds. */
  #fit: number | null = null;
  #highest: number;

  /**
   * `workers`: the count, or with `auto` the most that may run, `bound` saying what set it (run-config.json's
   * workers_bound); `visibleCpus`: the CPUs this container sees.
   */
  constructor(run: { workers: number; auto: boolean; capBytes: number; bound?: string | null }, visibleCpus = availableParallelism()) {
    const { workers, auto, capBytes } = run;
    this.#auto = auto;
    this.#limit = auto ? Math.max(1, Math.min(workers, visibleCpus)) : workers;
    this.#bound = auto && visibleCpus < workers ? `${visibleCpus} CPUs the container sees` : (run.bound ?? `${workers} at most`);
    this.#capMb = capBytes / MIB;
    this.#value = auto ? 1 : workers;
    this.#highest = this.#value;
  }

  /** Workers that may run at once now. */
  get value(): number {
    return this.#value;
  }

  /** A worker's RSS at a batch's end; true when it is the largest yet, and the count may have changed. */
  measured(rssMb: number): boolean {
    if (!this.#auto || !(rssMb > (this.#largestRssMb ?? 0))) return false;
    this.#largestRssMb = rssMb;
    this.#fit = Math.floor((this.#capMb * SPARE_SHARE_OF_CAP) / rssMb);
    this.#value = Math.max(1, Math.min(this.#limit, this.#fit));
    this.#highest = Math.max(this.#highest, this.#value);
    return true;
  }

  /** What --workers auto decided, for ingest_manifest.json; null with a fixed count. */
  describe(): AutoWorkers | null {
    if (!this.#auto) return null;
    const rss = this.#largestRssMb;
    const why =
      rss === null
        ? `no worker has reported its RSS yet; the run allows ${this.#limit} (${this.#bound})`
        : `half the ${Math.round(this.#capMb)} MiB cap holds ${this.#fit} worker(s) at ${Math.round(rss)} MiB each; the run allows ${this.#limit} (${this.#bound})`;
    return { limit: this.#limit, now: this.#value, highest: this.#highest, worker_rss_mb: rss === null ? null : Math.round(rss), why };
  }
}
