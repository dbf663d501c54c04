// What a worker process loads and is told: its workload's entry by kind, and the ingest role the coordinator wrote.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadWorkerEntry } from '../../harness/workloads/worker-entries.js';
import { FIRST_INGEST_WORKER, ingestRoleArgument, parseIngestRole } from '../../harness/workloads/ingest/worker-role.js';

test('the role the coordinator writes is the role the worker reads', () => {
  for (const role of [FIRST_INGEST_WORKER, { workerId: 7, plan: false, warm: 2 }, { workerId: 3, plan: false, warm: null }]) {
    assert.deepEqual(parseIngestRole(ingestRoleArgument(role)), role);
  }
  assert.deepEqual(parseIngestRole('{"workerId":2,"plan":false}'), { workerId: 2, plan: false, warm: null }, 'warm defaults to none');
});

test('a role argument the coordinator never writes is refused, naming what was given and what was expected', () => {
  for (const bad of ['', 'not json', '{"workerId":0,"plan":true}', '{"workerId":1,"plan":"yes"}', '{"workerId":1,"plan":true,"warm":-1}', '[1,true]']) {
    assert.throws(
      () => parseIngestRole(bad),
      (error: Error) => error.message.includes(JSON.stringify(bad)) && /expected \{"workerId"/.test(error.message),
      bad,
    );
  }
});

test('each workload with workers has an entry; exec and unknown kinds have none, and the error says which exist', async () => {
  assert.equal(typeof (await loadWorkerEntry('ingest')), 'function');
  assert.equal(typeof (await loadWorkerEntry('synthetic')), 'function');
  for (const kind of ['exec', 'toString', undefined, 42]) {
    await assert.rejects(loadWorkerEntry(kind), (error: Error) => error.message.includes(JSON.stringify(kind)) && /ingest or synthetic/.test(error.message));
  }
});
