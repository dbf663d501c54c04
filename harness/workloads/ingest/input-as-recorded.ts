// The container's own look at an input before a worker opens it. The host checked a regular file of size_bytes and
// hashed it; a link here (which resolves in the container's filesystem) or another size means the file changed
// after that check, and what the worker would read is not what the run recorded.
import { lstat } from 'node:fs/promises';
import { PdfReadError } from './pdf-document.js';
import type { InputFile } from './spec.js';

export async function checkInputAsRecorded(input: InputFile): Promise<void> {
  // A file that cannot be examined is left for the open to report, in its own words.
  const stats = await lstat(input.container_path).catch(() => null);
  if (stats === null) return;
  if (stats.isSymbolicLink()) {
    throw new PdfReadError(input.name, 'is a symbolic link in the container, where the host checked and hashed a regular file: it changed after the check');
  }
  if (stats.size !== input.size_bytes) {
    throw new PdfReadError(input.name, `is ${stats.size} bytes in the container, not the ${input.size_bytes} the host checked and hashed: it changed after the check`);
  }
}
