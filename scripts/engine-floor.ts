// The least a Node command can do to run Node in a capped container, for the benchmark to set the harness against:
// no option parsing, no input check, no image check, no sampling, no bundle; the engine's HTTP API asked directly
// (node:http, no client library) to create a container of the runtime image under the same cap, start it, wait for
// it and remove it. The container's Node writes the time as its first statement.
// Usage: node dist/scripts/engine-floor.js <image> <dir>   (dir: writable by uid 1000, mounted at /out)
// Prints {"first_js_epoch_ms"}: when the container's Node ran its first line (the caller times the whole).
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

const [image, dir] = process.argv.slice(2);
if (!image || !dir) {
  process.stderr.write('usage: engine-floor <image> <dir>\n');
  process.exit(2);
}
const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
if (!host.startsWith('unix://')) {
  process.stderr.write(`engine-floor: DOCKER_HOST=${host}: only a unix socket is supported\n`);
  process.exit(2);
}
const socketPath = host.slice('unix://'.length);

function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const CAP = 2 * 1024 ** 3;
const created = await call('POST', '/containers/create', {
  Image: image,
  Entrypoint: ['node', '-e', "require('fs').writeFileSync('/out/first-js', String(Date.now()))"],
  User: '1000:1000',
  NetworkDisabled: true,
  HostConfig: {
    Memory: CAP,
    MemorySwap: CAP,
    NetworkMode: 'none',
    ReadonlyRootfs: true,
    Init: true,
    Mounts: [{ Type: 'bind', Source: dir, Target: '/out', ReadOnly: false }],
  },
});
if (created.status !== 201) throw new Error(`create: ${created.status} ${created.body}`);
const id = (JSON.parse(created.body) as { Id: string }).Id;
try {
  const started = await call('POST', `/containers/${id}/start`);
  if (started.status !== 204) throw new Error(`start: ${started.status} ${started.body}`);
  await call('POST', `/containers/${id}/wait`);
} finally {
  await call('DELETE', `/containers/${id}?force=1`);
}
const firstJs = Number(readFileSync(join(dir, 'first-js'), 'utf8'));
process.stdout.write(`${JSON.stringify({ first_js_epoch_ms: firstJs })}\n`);
