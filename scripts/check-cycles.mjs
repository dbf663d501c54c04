#!/usr/bin/env node
// Fails on an import cycle among harness/ modules, or on a shared-record module (harness/common) importing ours.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'harness');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const graph = new Map();
for (const file of walk(root)) {
  const text = readFileSync(file, 'utf8');
  const targets = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    // `import type` is erased at run time but still a design dependency: keep it in the graph.
    targets.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  graph.set(file, targets);
}

const problems = [];
for (const [file, targets] of graph) {
  if (relative(root, file).startsWith('common/')) {
    for (const target of targets) {
      if (!relative(root, target).startsWith('common/')) problems.push(`${relative(root, file)} is a shared record but imports ${relative(root, target)}`);
    }
  }
}

const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 'open');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (!graph.has(next)) continue;
    if (state.get(next) === 'open') {
      const cycle = stack.slice(stack.indexOf(next)).concat(next).map((path) => relative(root, path));
      problems.push(`import cycle: ${cycle.join(' -> ')}`);
    } else if (!state.has(next)) {
      visit(next);
    }
  }
  stack.pop();
  state.set(node, 'done');
}
for (const node of graph.keys()) if (!state.has(node)) visit(node);

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exitCode = 1;
} else {
  console.log(`no import cycles among ${graph.size} modules; harness/common imports nothing of ours`);
}
