// A real store: each batch appended to a JSON-lines file and fsynced before the flush counts as done.
import { open, type FileHandle } from 'node:fs/promises';
import type { Batch } from './batcher.js';
import type { Sink } from './sink.js';

export class JsonlSink implements Sink {
  readonly #path: string;
  readonly #fileNames: readonly string[];
  #handle: FileHandle | null = null;

  constructor(path: string, fileNames: readonly string[]) {
    this.#path = path;
    this.#fileNames = fileNames;
  }

  async write(batch: Batch, batchLabel: string): Promise<void> {
    this.#handle ??= await open(this.#path, 'a');
    const lines = batch.items.map((item) =>
      JSON.stringify({ batch: batchLabel, file: this.#fileNames[item.fileIndex] ?? item.fileIndex, page: item.page, text: item.text }),
    );
    // One append per batch: with O_APPEND, concurrent workers never interleave inside a batch.
    await this.#handle.appendFile(`${lines.join('\n')}\n`);
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }
}
