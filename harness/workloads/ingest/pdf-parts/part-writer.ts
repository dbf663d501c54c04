// A PDF of some of a document's pages: those pages' dictionaries and everything they reach, byte for byte as the
// file has them under their own numbers, the page tree cut down to those pages, and a new catalog. References to
// the document's other pages (links, threads) are left dangling, which a PDF reader takes as null.
import type { IndirectObject } from './pdf-file.js';
import type { ObjectStore } from './object-store.js';
import { type PageTree, type Ref, readPage } from './page-tree.js';
import { PdfSyntaxError, refsIn } from './pdf-syntax.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

class PartBuilder {
  readonly #chunks: Buffer[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  #length = this.#chunks[0]!.length;
  readonly offsets = new Map<number, { gen: number; offset: number }>();

  add(ref: Ref, body: Uint8Array[]): void {
    if (this.offsets.has(ref.num)) throw new PdfSyntaxError(`object ${ref.num} written twice`);
    this.offsets.set(ref.num, { gen: ref.gen, offset: this.#length });
    for (const chunk of [latin1(`${ref.num} ${ref.gen} obj\n`), ...body.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)), latin1('\nendobj\n')]) {
      this.#chunks.push(chunk);
      this.#length += chunk.length;
    }
  }

  finish(rootNum: number): Uint8Array {
    const nums = [...this.offsets.keys()].sort((a, b) => a - b);
    const lines = ['xref', '0 1', '0000000000 65535 f\r'];
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j += 1;
      lines.push(`${nums[i]} ${j - i + 1}`);
      for (let k = i; k <= j; k += 1) {
        const { gen, offset } = this.offsets.get(nums[k]!)!;
        lines.push(`${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r`);
      }
      i = j + 1;
    }
    const size = (nums.at(-1) ?? 0) + 1;
    lines.push('trailer', `<< /Size ${size} /Root ${rootNum} 0 R >>`, 'startxref', String(this.#length), '%%EOF', '');
    this.#chunks.push(latin1(lines.join('\n')));
    // A view, not a copy: pdf.js takes a Uint8Array, and copies a Buffer it is given.
    const whole = Buffer.concat(this.#chunks);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }
}

function objectBody(object: IndirectObject): Uint8Array[] {
  if (!object.stream) return [object.valueBytes];
  return [object.valueBytes, latin1('\nstream\n'), object.stream.data, latin1('\nendstream')];
}

/** Pages first..last (1-based, inclusive) of the tree, as a PDF of their own. */
export function writePart(store: ObjectStore, tree: PageTree, treeNums: Set<number>, first: number, last: number): Uint8Array {
  const pages = tree.pages.slice(first - 1, last);
  if (pages.length === 0 || first < 1) throw new RangeError(`pages ${first}-${last} are outside the document's ${tree.pages.length}`);
  const part = new PartBuilder();
  const pending: Ref[] = [];
  const kids = new Map<number, Ref[]>();
  const counts = new Map<number, number>();
  for (const page of pages) {
    const object = readPage(store, tree, page);
    part.add(page, objectBody(object));
    if (object.value.kind === 'dict') for (const [key, entry] of object.value.entries) if (key !== 'Parent') refsIn(entry.value, pending);
    let child: Ref = page;
    for (let node = page.node; node >= 0; node = tree.nodes[node]!.parent) {
      const list = kids.get(node) ?? [];
      if (!list.includes(child)) list.push(child);
      kids.set(node, list);
      counts.set(node, (counts.get(node) ?? 0) + 1);
      child = tree.nodes[node]!;
    }
  }
  for (const [index, list] of kids) {
    const node = tree.nodes[index]!;
    const parent = node.parent >= 0 ? tree.nodes[node.parent]! : null;
    const head = `<< /Type /Pages /Count ${counts.get(index)} /Kids [${list.map((kid) => `${kid.num} ${kid.gen} R`).join(' ')}]${parent ? ` /Parent ${parent.num} ${parent.gen} R` : ''}`;
    part.add(node, [latin1(head), ...node.inherited.flatMap((entry) => [latin1(' '), entry.text]), latin1(' >>')]);
    for (const entry of node.inherited) for (const ref of entry.refs) pending.push(ref);
  }
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (part.offsets.has(ref.num) || treeNums.has(ref.num)) continue;
    const object = store.get(ref.num);
    if (!object) continue;
    part.add({ num: ref.num, gen: object.gen }, objectBody(object));
    refsIn(object.value, pending);
  }
  // Every object written came through the cross-reference table, so its number is below the table's size.
  const rootNum = store.table.size;
  part.add({ num: rootNum, gen: 0 }, [latin1(`<< /Type /Catalog /Pages ${tree.nodes[0]!.num} ${tree.nodes[0]!.gen} R >>`)]);
  return part.finish(rootNum);
}
