// The page tree (ISO 32000-1 §7.7.3), walked in page order as a PDF reader walks it: each page, the node above it,
// and what each node passes down (resources, boxes, rotation) as the bytes the file has.
import type { ObjectStore } from './object-store.js';
import type { IndirectObject } from './pdf-file.js';
import { type PdfValue, PdfSyntaxError, dictOf, nameOf, numberOf, refsIn } from './pdf-syntax.js';

const INHERITED_KEYS = ['Resources', 'MediaBox', 'CropBox', 'Rotate'] as const;

export interface Ref {
  num: number;
  gen: number;
}

export interface TreeNode extends Ref {
  /** Index of the parent node in nodes, or -1 for the root. */
  parent: number;
  /** The pages its /Count says are under it. */
  count: number | null;
  /** An inheritable entry as "/Key value", in the file's bytes, and the references it holds. */
  inherited: Array<{ text: Uint8Array; refs: Ref[] }>;
}

export interface PageLeaf extends Ref {
  node: number;
}

export interface PageTree {
  nodes: TreeNode[];
  pages: PageLeaf[];
}

const MAX_TREE_DEPTH = 256;

function badKid(node: Ref): never {
  throw new PdfSyntaxError(`page tree node ${node.num} has a kid that is not a reference`);
}

function refOf(value: PdfValue | undefined): Ref | null {
  return value?.kind === 'ref' ? { num: value.num, gen: value.gen } : null;
}

/** A node of the tree, checked: read once, a dictionary, and naming as /Parent the node above it (none for the root). */
function nodeOf(store: ObjectStore, ref: Ref, parentNum: number | null, seen: Set<number>): { dict: NonNullable<ReturnType<typeof dictOf>>; bytes: Uint8Array; base: number } {
  if (seen.has(ref.num)) throw new PdfSyntaxError(`the page tree reaches object ${ref.num} twice`);
  seen.add(ref.num);
  const object = store.get(ref.num);
  const dict = object ? dictOf(object.value) : null;
  if (!object || !dict || object.gen !== ref.gen) throw new PdfSyntaxError(`page tree object ${ref.num} ${ref.gen} is not a dictionary`);
  if ((refOf(dict.get('Parent')?.value)?.num ?? null) !== parentNum) throw new PdfSyntaxError(`page tree object ${ref.num} has a /Parent that is not the node above it`);
  return { dict, bytes: object.valueBytes, base: object.valueStart };
}

/**
 * Walks the tree under the catalog's /Pages; the pages found must be as many as its /Count says. The kids of a node
 * that counts as many pages as it has kids are taken as pages unread: writePart checks each when it copies it.
 */
export function walkPageTree(store: ObjectStore, pagesRef: Ref): PageTree {
  const tree: PageTree = { nodes: [], pages: [] };
  const seen = new Set<number>();
  const stack: Array<{ ref: Ref; parent: number; depth: number }> = [{ ref: pagesRef, parent: -1, depth: 0 }];
  let count: number | null = null;
  while (stack.length > 0) {
    const { ref, parent, depth } = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) throw new PdfSyntaxError(`the page tree is deeper than ${MAX_TREE_DEPTH}`);
    const { dict, bytes, base } = nodeOf(store, ref, tree.nodes[parent]?.num ?? null, seen);
    const kids = dict.get('Kids')?.value;
    if (nameOf(dict.get('Type')?.value) === 'Page' || !kids) {
      if (parent < 0) throw new PdfSyntaxError('the catalog /Pages is a page, not a tree');
      tree.pages.push({ ...ref, node: parent });
      continue;
    }
    if (kids.kind !== 'array') throw new PdfSyntaxError(`page tree node ${ref.num} has /Kids that is not an array`);
    if (parent < 0) count = numberOf(dict.get('Count')?.value);
    const inherited = INHERITED_KEYS.flatMap((key) => {
      const entry = dict.get(key);
      if (!entry) return [];
      const text = Buffer.concat([Buffer.from(`/${key} `, 'latin1'), bytes.subarray(entry.start - base, entry.end - base)]);
      return [{ text: new Uint8Array(text), refs: refsIn(entry.value) }];
    });
    tree.nodes.push({ ...ref, parent, count: numberOf(dict.get('Count')?.value), inherited });
    const index = tree.nodes.length - 1;
    const refs = kids.items.map((item) => refOf(item) ?? badKid(ref));
    // As many pages as kids: every kid is a page, read (and checked to be one) only when a part takes it.
    if (tree.nodes[index]!.count === refs.length) {
      for (const kid of refs) {
        if (seen.has(kid.num)) throw new PdfSyntaxError(`the page tree reaches object ${kid.num} twice`);
        seen.add(kid.num);
        tree.pages.push({ ...kid, node: index });
      }
      continue;
    }
    for (let i = refs.length - 1; i >= 0; i -= 1) stack.push({ ref: refs[i]!, parent: index, depth: depth + 1 });
  }
  if (count === null || count !== tree.pages.length) throw new PdfSyntaxError(`the page tree holds ${tree.pages.length} pages, its /Count says ${count}`);
  checkCounts(tree);
  return tree;
}

/** pdf.js skips subtrees by their /Count: each node's must be the pages under it, or pages would be found elsewhere. */
function checkCounts(tree: PageTree): void {
  const under = new Array<number>(tree.nodes.length).fill(0);
  for (const page of tree.pages) for (let node = page.node; node >= 0; node = tree.nodes[node]!.parent) under[node] = under[node]! + 1;
  tree.nodes.forEach((node, index) => {
    if (node.count !== under[index]) throw new PdfSyntaxError(`page tree node ${node.num} holds ${under[index]} pages, its /Count says ${node.count}`);
  });
}

/** A page's object, checked to be a page whose /Parent is the node above it: a PDF reader then finds what it inherits. */
export function readPage(store: ObjectStore, tree: PageTree, page: PageLeaf): IndirectObject {
  const object = store.get(page.num);
  const entries = object?.value.kind === 'dict' ? object.value.entries : null;
  if (!object || !entries || object.gen !== page.gen) throw new PdfSyntaxError(`page object ${page.num} ${page.gen} is not a dictionary`);
  if (entries.has('Kids') && nameOf(entries.get('Type')?.value) !== 'Page') throw new PdfSyntaxError(`page object ${page.num} is a node of the tree`);
  const parent = entries.get('Parent')?.value;
  if (parent?.kind !== 'ref' || parent.num !== tree.nodes[page.node]!.num) throw new PdfSyntaxError(`page object ${page.num} names another /Parent than the node above it`);
  return object;
}
