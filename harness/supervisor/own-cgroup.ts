// The container's own memory cgroup, read by the supervisor: a tick reads three files; the limit, read in full
// once, does not change while the container lives.
import { directoryReader, locateOwnMemoryCgroup, type CgroupLocation } from '../kernel/cgroup-location.js';
import { KeptFiles } from '../kernel/kept-files.js';
import { readCgroupMemory, type CgroupFileReader, type CgroupMemorySnapshot, type CgroupReadDepth } from '../kernel/cgroup-memory.js';

export class OwnCgroup {
  readonly location: CgroupLocation | null;
  readonly #reader: CgroupFileReader;
  #limitBytes: number | null = null;
  /** The counters are read on every tick: their files stay open. */
  readonly #files = new KeptFiles();

  constructor(location: CgroupLocation | null = locateOwnMemoryCgroup()) {
    this.location = location;
    this.#reader = location ? directoryReader(location.dir, (path) => this.#files.read(path)) : () => null;
  }

  read(depth: CgroupReadDepth = 'full'): CgroupMemorySnapshot | null {
    if (!this.location) return null;
    try {
      const snapshot = readCgroupMemory(this.location.version, this.#reader, depth);
      if (depth === 'full') this.#limitBytes = snapshot.limitBytes;
      return depth === 'full' ? snapshot : { ...snapshot, limitBytes: this.#limitBytes };
    } catch {
      return null;
    }
  }
}
