import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

let counter = 0;

function tempPathFor(path: string): string {
  counter += 1;
  return `${path}.${process.pid}.${counter}.tmp`;
}

/**
 * Replaces a file by writing a temp file beside it and renaming, so readers never see half a file, even if the
 * writer is killed. `durable` also fsyncs, for a power cut; frequent progress writes skip it.
 */
export function writeFileAtomicSync(path: string, contents: string, durable = true): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, contents);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  const temp = tempPathFor(path);
  await writeFile(temp, contents, { mode: 0o644, flush: true });
  await rename(temp, path);
}

export function writeJsonAtomicSync(path: string, value: unknown, durable = true): void {
  writeFileAtomicSync(path, `${JSON.stringify(value, null, 2)}\n`, durable);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
