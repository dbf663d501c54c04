import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

let counter = 0;

function tempPathFor(path: string): string {
  counter += 1;
  return `${path}.${process.pid}.${counter}.tmp`;
}

/** Replaces a file by writing a temp file beside it and renaming, so readers never see half a file. */
export function writeFileAtomicSync(path: string, contents: string): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
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

export function writeJsonAtomicSync(path: string, value: unknown): void {
  writeFileAtomicSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
