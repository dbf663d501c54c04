// The decoded data of the streams a cut needs to read itself (cross-reference and object streams): FlateDecode,
// with or without a PNG or TIFF predictor (ISO 32000-1 §7.4.4). Any other filter is not followed.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import { type DictEntry, PdfSyntaxError, numberOf } from './pdf-syntax.js';
import { errorMessage } from '../../../common/harness-error.js';

/** Decoded streams larger than this are not followed (a cross-reference or object stream is far smaller). */
const MAX_DECODED_BYTES = 32 * 1024 * 1024;

/** As pdf.js inflates: a truncated stream gives what it holds, and the Adler-32 check is not held against it. */
function inflate(data: Uint8Array): Uint8Array {
  const options = { maxOutputLength: MAX_DECODED_BYTES, finishFlush: constants.Z_SYNC_FLUSH };
  try {
    return inflateSync(data, options);
  } catch (error) {
    if (error instanceof RangeError) throw new PdfSyntaxError(`a stream decodes to more than ${MAX_DECODED_BYTES} bytes`);
    try {
      return inflateRawSync(data.subarray(2), options);
    } catch {
      throw new PdfSyntaxError(`a stream does not inflate: ${errorMessage(error)}`);
    }
  }
}

function filterNames(dict: Map<string, DictEntry>): string[] {
  const filter = dict.get('Filter')?.value;
  if (!filter) return [];
  if (filter.kind === 'name') return [filter.value];
  if (filter.kind === 'array' && filter.items.every((item) => item.kind === 'name')) return filter.items.map((item) => (item.kind === 'name' ? item.value : ''));
  throw new PdfSyntaxError('a stream filter that is not a name');
}

function decodeParms(dict: Map<string, DictEntry>): Map<string, DictEntry> | null {
  const parms = dict.get('DecodeParms')?.value;
  if (!parms || parms.kind !== 'dict') {
    if (parms?.kind === 'array' && parms.items.length === 1 && parms.items[0]?.kind === 'dict') return parms.items[0].entries;
    if (parms && parms.kind !== 'keyword') throw new PdfSyntaxError('stream decode parameters this reader does not follow');
    return null;
  }
  return parms.entries;
}

export function decodeStream(dict: Map<string, DictEntry>, data: Uint8Array): Uint8Array {
  const filters = filterNames(dict);
  if (filters.length === 0) return data;
  if (filters.length > 1 || filters[0] !== 'FlateDecode') throw new PdfSyntaxError(`stream filter ${filters.join(', ')} is not followed`);
  const inflated = inflate(data);
  const parms = decodeParms(dict);
  const predictor = numberOf(parms?.get('Predictor')?.value) ?? 1;
  if (predictor === 1) return inflated;
  const columns = numberOf(parms?.get('Columns')?.value) || 1;
  const colors = numberOf(parms?.get('Colors')?.value) || 1;
  const bits = numberOf(parms?.get('BitsPerComponent')?.value) ?? 8;
  if (bits !== 8) throw new PdfSyntaxError(`predictor with ${bits} bits per component is not followed`);
  if (!Number.isInteger(columns * colors) || columns * colors <= 0 || colors > 4) throw new PdfSyntaxError(`predictor rows of ${columns} columns of ${colors} colors`);
  if (predictor >= 10) return unpng(inflated, columns * colors, colors);
  if (predictor === 2) return untiff(inflated, columns * colors, colors);
  throw new PdfSyntaxError(`predictor ${predictor} is not followed`);
}

function untiff(data: Uint8Array, rowBytes: number, pixelBytes: number): Uint8Array {
  const out = new Uint8Array(data);
  for (let row = 0; row + rowBytes <= out.length; row += rowBytes) {
    for (let i = pixelBytes; i < rowBytes; i += 1) out[row + i] = (out[row + i]! + out[row + i - pixelBytes]!) & 0xff;
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - up);
  const pc = Math.abs(p - upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

/** PNG filters, one type byte before each row (RFC 2083 §6). */
function unpng(data: Uint8Array, rowBytes: number, pixelBytes: number): Uint8Array {
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let row = 0; row < rows; row += 1) {
    const type = data[row * (rowBytes + 1)]!;
    const src = row * (rowBytes + 1) + 1;
    const at = row * rowBytes;
    for (let i = 0; i < rowBytes; i += 1) {
      const raw = data[src + i]!;
      const left = i >= pixelBytes ? out[at + i - pixelBytes]! : 0;
      const up = row > 0 ? out[at + i - rowBytes]! : 0;
      const upLeft = row > 0 && i >= pixelBytes ? out[at + i - rowBytes - pixelBytes]! : 0;
      const predicted = type === 0 ? 0 : type === 1 ? left : type === 2 ? up : type === 3 ? (left + up) >> 1 : type === 4 ? paeth(left, up, upLeft) : -1;
      if (predicted < 0) throw new PdfSyntaxError(`PNG filter type ${type} in a stream`);
      out[at + i] = (raw + predicted) & 0xff;
    }
  }
  return out;
}
