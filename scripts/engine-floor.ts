// The least a Node command can do to run Node in a capped container, for the benchmark to set the harness against:
// no option parsing, no input check, no image check, no sampling, no bundle. Given a harness run, it asks that run's
// engine's HTTP API directly (node:http, no client library) to create a container of the same image with the same
// limits and hardening (the harness's own containerSpec, fed what the run's container_manifest.json says was
// applied), start it, wait for it and remove it. The container's Node writes the time as its first statement.
// Usage: node dist/scripts/engine-floor.js <harness run dir> <dir>   (dir: writable by the run's user, mounted at /out)
// Prints {"first_js_epoch_ms"}: when the container's Node ran its first line (the caller times the whole).
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { containerSpec, TMPFS_BYTES } from '../harness/container-runtime/container-spec.js';

const [runDir, dir] = process.argv.slice(2);
if (!runDir || !dir) {
  process.stderr.write('usage: engine-floor <harness run dir> <dir>\n');
  process.exit(2);
}
// The bench's own run, read as written by the harness.
const manifest = JSON.parse(readFileSync(join(runDir, 'container_manifest.json'), 'utf8'));
const applied = manifest.container.applied;
const endpoint: string = manifest.engine.endpoint;
if (!endpoint.startsWith('unix://')) throw new Error(`engine-floor: the run's engine is ${endpoint}: only a unix socket is supported`);
const socketPath = endpoint.slice('unix://'.length);
const limit = (name: string): number => applied.ulimits.find((ulimit: { name: string }) => ulimit.name === name).hard;

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

const FIRST_JS = join(dir, 'first-js');
rmSync(FIRST_JS, { force: true });
const spec = containerSpec({
  name: `oom-harness-floor-${process.pid}`,
  capBytes: applied.memory_bytes,
  cpus: applied.nano_cpus ? applied.nano_cpus / 1e9 : null,
  user: applied.user,
  pidsLimit: applied.pids_limit,
  ulimits: { nofile: limit('nofile'), nproc: limit('nproc') },
  tmpfsBytes: TMPFS_BYTES,
  labels: {},
  cmd: ['-e', "require('fs').writeFileSync('/out/first-js', String(Date.now()))"],
  workingDir: '/tmp',
  mounts: [{ source: dir, target: '/out', readOnly: false }],
  env: [],
  network: applied.network_mode,
});
const created = await call('POST', '/containers/create', { ...spec, Image: manifest.image.tag, Entrypoint: ['node'] });
if (created.status !== 201) throw new Error(`engine-floor: create answered ${created.status}: ${created.body}`);
const id = (JSON.parse(created.body) as { Id: string }).Id;
let exitCode: unknown = null;
// The time is read from a file the container wrote, as the harness reads one: no link followed, no more than a line.
// Loaded while the container runs, so that neither the first line's time nor the wall pays for it.
let reading: Promise<typeof import('../harness/run-files/safe-fs.js')> | null = null;
try {
  const started = await call('POST', `/containers/${id}/start`);
  if (started.status !== 204) throw new Error(`engine-floor: start answered ${started.status}: ${started.body}`);
  reading = import('../harness/run-files/safe-fs.js');
  const waited = await call('POST', `/containers/${id}/wait`);
  exitCode = waited.status === 200 ? (JSON.parse(waited.body) as { StatusCode?: unknown }).StatusCode : null;
} finally {
  const removed = await call('DELETE', `/containers/${id}?force=1`).catch((error: unknown) => ({ status: 0, body: String(error) }));
  if (removed.status !== 204 && removed.status !== 404) process.stderr.write(`engine-floor: removing ${id} answered ${removed.status}: ${removed.body}\n`);
}
if (exitCode !== 0) throw new Error(`engine-floor: the container's Node exited with ${String(exitCode)}`);
const { readRegularFile } = await reading!;
const firstJs = Number(readRegularFile(FIRST_JS, 64));
if (!Number.isFinite(firstJs)) throw new Error('engine-floor: the container wrote no time');
process.stdout.write(`${JSON.stringify({ first_js_epoch_ms: firstJs })}\n`);
