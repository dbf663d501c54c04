// command.log: what a user's command wrote, both streams in order, kept to the last 10-20 MiB (the file is rotated
// once to command.log.1 at 10 MiB), and passed on to the supervisor's own output, which the host streams live.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

const ROTATE_BYTES = 10 * 1024 * 1024;

export class CommandLog {
  readonly #path: string;
  #fd: number;
  #bytes = 0;

  constructor(path: string) {
    this.#path = path;
    this.#fd = openSync(path, 'a');
  }

  write(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    if (this.#bytes + chunk.length > ROTATE_BYTES) {
      closeSync(this.#fd);
      renameSync(this.#path, `${this.#path}.1`);
      this.#fd = openSync(this.#path, 'a');
      this.#bytes = 0;
    }
    writeSync(this.#fd, chunk);
    this.#bytes += chunk.length;
    (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
