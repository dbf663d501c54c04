// dockerode loads without its BuildKit session and ssh transport, and both still load, and work, when used.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import Module, { createRequire } from 'node:module';
import { test } from 'node:test';
import { deferredModule, loadDockerode } from '../../harness/container-runtime/load-dockerode.js';

const require = createRequire(import.meta.url);

function loadedFiles(pattern: RegExp): string[] {
  return Object.keys(require.cache).filter((file) => pattern.test(file));
}

test('a deferred module loads on first use, once, and answers as the module does', () => {
  let loads = 0;
  class Real {
    static kind = 'real';
    value: number;
    constructor(value: number) {
      this.value = value;
    }
  }
  const callable = Object.assign((a: number, b: number) => a + b, { tag: 'sum' });
  const deferredClass = deferredModule(() => {
    loads += 1;
    return Real;
  }) as typeof Real;
  const deferredFunction = deferredModule(() => {
    loads += 1;
    return callable;
  }) as typeof callable;
  assert.equal(loads, 0, 'nothing loads before use');
  const made = new deferredClass(7);
  assert.ok(made instanceof Real);
  assert.equal(made.value, 7);
  assert.equal(deferredClass.kind, 'real');
  assert.equal(deferredFunction(2, 3), 5);
  assert.equal(deferredFunction.tag, 'sum');
  assert.ok('tag' in deferredFunction);
  assert.equal(loads, 2, 'each module loaded once');
});

test('dockerode loads without gRPC, protobuf or ssh2, the loader is left as it was, and the same constructor comes back', () => {
  const loader = (Module as unknown as { _load: unknown })._load;
  const Docker = loadDockerode();
  assert.equal((Module as unknown as { _load: unknown })._load, loader, 'the require hook is removed once dockerode has loaded');
  assert.equal(typeof Docker, 'function');
  assert.equal(loadDockerode(), Docker);
  assert.deepEqual(loadedFiles(/node_modules[\\/](@grpc|protobufjs|ssh2)[\\/]/), []);
  assert.ok(loadedFiles(/node_modules[\\/]dockerode[\\/]/).length > 0);
});

test('an ssh:// engine still reaches ssh2: it loads when the first request is made, and its error comes back', async () => {
  // A port that accepts and closes at once: ssh2's handshake fails with its own error.
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const Docker = loadDockerode();
    const docker = new Docker({ protocol: 'ssh', host: '127.0.0.1', port, username: 'nobody', sshOptions: { readyTimeout: 5000 } });
    assert.deepEqual(loadedFiles(/node_modules[\\/]ssh2[\\/]/), []);
    await assert.rejects(docker.ping());
    assert.ok(loadedFiles(/node_modules[\\/]ssh2[\\/]/).length > 0, 'ssh2 loaded for the ssh engine');
  } finally {
    server.close();
  }
});
