// Hand-made PDFs for the part cutter's tests: objects as text, a classic cross-reference table, and appended
// incremental updates whose sections point back with /Prev.

/** A whole PDF of these objects (number → the object's value, a stream's "<<...>>\nstream\n...\nendstream" too). */
export function tinyPdf(objects: Record<number, string>, root: number): Buffer {
  return appendSection(Buffer.from('%PDF-1.7\n'), objects, root, null);
}

/** base with an incremental update appended: these objects replace or add to base's. */
export function appendUpdate(base: Buffer, objects: Record<number, string>, root: number): Buffer {
  const prev = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(base.toString('latin1'));
  if (!prev) throw new Error('base has no startxref');
  return appendSection(base, objects, root, Number(prev[1]));
}

/** base followed by the objects, and where each one starts. */
function writeObjects(base: Buffer, objects: Record<number, string>): { chunks: Buffer[]; length: number; offsets: Map<number, number> } {
  const chunks = [base];
  let length = base.length;
  const offsets = new Map<number, number>();
  for (const [num, body] of Object.entries(objects)) {
    offsets.set(Number(num), length);
    const chunk = Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, 'latin1');
    chunks.push(chunk);
    length += chunk.length;
  }
  return { chunks, length, offsets };
}

function appendSection(base: Buffer, objects: Record<number, string>, root: number, prev: number | null): Buffer {
  const { chunks, length, offsets } = writeObjects(base, objects);
  const lines = ['xref', '0 1', '0000000000 65535 f\r'];
  for (const [num, offset] of offsets) lines.push(`${num} 1`, `${String(offset).padStart(10, '0')} 00000 n\r`);
  const size = Math.max(...offsets.keys()) + 1;
  lines.push('trailer', `<< /Size ${size} /Root ${root} 0 R${prev === null ? '' : ` /Prev ${prev}`} >>`, 'startxref', String(length), '%%EOF', '');
  chunks.push(Buffer.from(lines.join('\n'), 'latin1'));
  return Buffer.concat(chunks);
}

/** The text a content stream shows in /F1: its words side by side on one line. */
export function textContent(text: string): string {
  return `BT /F1 12 Tf 20 100 Td ${text.split(' ').map((word) => `(${word}) Tj 100 0 Td`).join(' ')} ET`;
}

export function textStream(text: string, lengthRef?: string): string {
  const content = textContent(text);
  return `<< /Length ${lengthRef ?? content.length} >>\nstream\n${content}\nendstream`;
}

/** Helvetica, with "a" drawn as "z": text read without this font (not inherited, say) keeps its "a". */
export const HELVETICA_A_AS_Z = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [97 /z] >> >>';

/** The same objects with a cross-reference stream (/W [1 4 1]) in place of the table, its rows under decodeParms. */
export function tinyPdfWithXrefStream(objects: Record<number, string>, root: number, decodeParms: string, encodeRows: (rows: Buffer) => Buffer): Buffer {
  const { chunks, length, offsets } = writeObjects(Buffer.from('%PDF-1.7\n'), objects);
  const xrefNum = Math.max(...offsets.keys()) + 1;
  offsets.set(xrefNum, length);
  const rows = Buffer.alloc(6 * (xrefNum + 1));
  for (const [num, offset] of offsets) {
    rows[num * 6] = 1;
    rows.writeUInt32BE(offset, num * 6 + 1);
  }
  const data = encodeRows(rows);
  const dict = `<< /Type /XRef /Size ${xrefNum + 1} /Root ${root} 0 R /W [1 4 1] /Filter /FlateDecode /DecodeParms ${decodeParms} /Length ${data.length} >>`;
  chunks.push(Buffer.from(`${xrefNum} 0 obj\n${dict}\nstream\n`, 'latin1'), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}
