// The library refuses a malformed request by name before anything starts, as the CLI exits 2, and a caller's
// callback that throws cannot take the run (or the process) down.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OomHarnessError, execCommand, readBundle, runIngest } from '../../harness/api/index.js';
import { guarded } from '../../harness/api/run-job.js';

async function refusal(call: () => Promise<unknown>): Promise<OomHarnessError> {
  const error = await call().then(
    () => assert.fail('resolved'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof OomHarnessError, String(error));
  return error;
}

test('malformed requests reject with exit 2 and name the field, the value and what was expected', async () => {
  const cases: Array<[() => Promise<unknown>, RegExp]> = [
    [() => runIngest(undefined as never), /runIngest: got undefined, expected an options object/],
    [() => runIngest({ cap: '1g' } as never), /runIngest: input: got nothing, expected/],
    [() => runIngest({ input: 42, cap: '1g' } as never), /runIngest: input: got 42/],
    [() => runIngest({ input: 'a.pdf', cap: 1.5 }), /cap: got 1.5, expected a size such as 512m, or a whole positive number of bytes/],
    [() => runIngest({ input: 'a.pdf', cap: '1g', onProgress: 5 } as never), /onProgress: got 5, expected a function/],
    [() => runIngest({ input: 'a.pdf', cap: '1g', signal: 'x' } as never), /signal: got "x", expected an AbortSignal/],
    [() => execCommand({ cap: '128m', command: 'echo hi' } as never), /command: got "echo hi", expected the command and its arguments as an array/],
    [() => execCommand({ cap: '128m', command: [] }), /command: got \[\], expected a command/],
    [() => readBundle(42 as never), /readBundle: got 42/],
    [() => readBundle('x.tar.gz', { maxUnpackedBytes: Number.NaN }), /maxUnpackedBytes/],
    [() => readBundle('x.tar.gz', { bogus: 1 } as never), /readBundle: options: got/],
  ];
  for (const [call, message] of cases) {
    const error = await refusal(call);
    assert.equal(error.exit_code, 2, error.message);
    assert.match(error.message, message);
  }
});

test("a callback that throws or rejects is reported once as a warning and ignored; the run's other hooks go on", async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    let logs = 0;
    const hooks = guarded({
      onProgress: () => {
        throw new Error('boom');
      },
      onLog: async () => {
        logs += 1;
        throw new Error('async boom');
      },
    });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 3; i += 1) {
      assert.doesNotThrow(() => hooks.onProgress!({} as never));
      hooks.onLog!('line');
      await settle();
      await settle();
    }
    assert.equal(logs, 1, 'a rejected callback is not called again');
    assert.equal(warnings.filter((w) => /onProgress callback failed.*boom/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /onLog callback failed.*async boom/.test(w)).length, 1);
  } finally {
    process.off('warning', onWarning);
  }
});
