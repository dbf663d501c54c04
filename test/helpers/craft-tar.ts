// Builds tar.gz archives byte by byte, including entries no honest archiver writes, to test that they are refused.
import { gzipSync } from 'node:zlib';

export interface CraftedEntry {
  path: string;
  /** ustar type flag: 0 file, 1 hard link, 2 symlink, 3 character device, 5 directory. */
  type: '0' | '1' | '2' | '3' | '5';
  body?: string;
  linkpath?: string;
}

function header(entry: CraftedEntry, size: number): Buffer {
  const block = Buffer.alloc(512, 0);
  const write = (offset: number, length: number, value: string) => block.write(value.slice(0, length), offset, length, 'utf8');
  const octal = (offset: number, length: number, value: number) => write(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  write(0, 100, entry.path);
  octal(100, 8, entry.type === '5' ? 0o755 : 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1_700_000_000);
  block.fill(' ', 148, 156);
  write(156, 1, entry.type);
  write(157, 100, entry.linkpath ?? '');
  write(257, 6, 'ustar\0');
  write(263, 2, '00');
  const sum = block.reduce((total, byte) => total + byte, 0);
  write(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

export function craftTarGz(entries: CraftedEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.type === '0' ? (entry.body ?? '') : '');
    blocks.push(header(entry, body.length));
    if (body.length > 0) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
