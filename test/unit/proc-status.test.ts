import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseProcStatus } from '../../harness/kernel/proc-status.js';
import { fixture } from '../helpers/paths.js';

test('reads RSS, VMS and the high-water mark of a real /proc/<pid>/status', () => {
  const memory = parseProcStatus(readFileSync(fixture('proc', 'status-node.txt'), 'utf8'));
  assert.ok(memory);
  assert.equal(memory.name, 'node');
  assert.equal(memory.pid, 1);
  assert.equal(memory.rssBytes, 39772 * 1024);
  assert.equal(memory.vmsBytes, 727644 * 1024);
  assert.equal(memory.hwmBytes, 39772 * 1024);
  assert.equal(memory.anonBytes, 5812 * 1024);
});

test('a zombie, which has no Vm lines, yields nothing', () => {
  assert.equal(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\nPid:\t42\n'), null);
});
