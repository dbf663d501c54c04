#!/usr/bin/env node
// The layout rules `npm run lint` holds the code to:
//   - no import cycle among harness/ modules, and none among its folders (no folder imports one that imports it
//     back, through any path);
//   - harness/common (shared records) imports nothing of ours;
//   - no file in harness/ over 250 lines, no function over 60 lines.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'harness');
const MAX_FILE_LINES = 250;
const MAX_FUNCTION_LINES = 60;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(root);
const sources = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
const graph = new Map();
for (const [file, text] of sources) {
  const targets = [];
  for (const match of text.matchAll(IMPORT)) {
    // `import type` is erased at run time but still a design dependency: keep it in the graph.
    targets.push(resolve(dirname(file), match[1] ?? match[2]).replace(/\.js$/, '.ts'));
  }
  graph.set(file, targets.filter((target) => sources.has(target)));
}

const problems = [];
const name = (path) => relative(root, path);
const folderOf = (path) => dirname(name(path)) || '.';

for (const [file, targets] of graph) {
  if (!name(file).startsWith(`common${sep}`)) continue;
  for (const target of targets) if (!name(target).startsWith(`common${sep}`)) problems.push(`${name(file)} is a shared record but imports ${name(target)}`);
}

function cycles(nodes, edgesOf, label) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edgesOf(node)) {
      if (state.get(next) === 'open') problems.push(`${label} cycle: ${stack.slice(stack.indexOf(next)).concat(next).join(' -> ')}`);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of nodes) if (!state.has(node)) visit(node);
}

const fileEdges = new Map([...graph].map(([file, targets]) => [name(file), targets.map(name)]));
cycles(fileEdges.keys(), (node) => fileEdges.get(node) ?? [], 'import');

// A folder depends on another when one of its files imports one of the other's; a folder's own subfolders
// (workloads/ingest inside workloads) are folders of their own.
const folderEdges = new Map();
for (const [file, targets] of graph) {
  const from = folderOf(file);
  const edges = folderEdges.get(from) ?? new Set();
  for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
  folderEdges.set(from, edges);
}
cycles(folderEdges.keys(), (node) => [...(folderEdges.get(node) ?? [])], 'folder');

for (const [file, text] of sources) {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`${name(file)} has ${lines} lines (at most ${MAX_FILE_LINES})`);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) {
        const label = node.name ? node.name.getText() : `(anonymous at line ${start + 1})`;
        problems.push(`${name(file)}: function ${label} has ${length} lines (at most ${MAX_FUNCTION_LINES})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
} else {
  console.log(`${files.length} modules in ${folderEdges.size} folders: no cycle between files or folders; common imports nothing of ours; no file over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`);
}
