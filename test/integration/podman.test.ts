// Podman's Docker-compatible API service as the engine: the smoke gate and a capped OOM, end to end. Without the
// socket the tests skip with a loud reason; with OOM_HARNESS_REQUIRE_PODMAN=1 (CI, which starts the service) they fail.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import Docker from 'dockerode';
import { execa } from 'execa';
import { LABEL_MANAGED } from '../../harness/container-runtime/labels.js';
import { onlyRunDir, readJson, tempOutDir } from '../helpers/cli.js';
import { OOM_HARNESS_BIN } from '../helpers/paths.js';

const SOCKET = process.env.OOM_HARNESS_PODMAN_SOCKET ?? '/run/podman/podman.sock';
const podman = new Docker({ socketPath: SOCKET });

async function podmanOrSkip(t: TestContext): Promise<boolean> {
  let problem: string | null = null;
  if (!existsSync(SOCKET)) problem = `no Podman socket at ${SOCKET}`;
  else {
    const version = await podman.version().catch((error: Error) => error);
    if (version instanceof Error) problem = `Podman's socket ${SOCKET} does not answer (${version.message})`;
    else if (!version.Components?.some((component) => /podman/i.test(component.Name))) problem = `${SOCKET} answers, but not as Podman`;
  }
  if (problem === null) return true;
  if (process.env.OOM_HARNESS_REQUIRE_PODMAN === '1') throw new Error(`the Podman tests must run here (OOM_HARNESS_REQUIRE_PODMAN=1), but ${problem}`);
  const reason = `SKIPPED: ${problem}; start it with \`podman system service --time=0 unix://${SOCKET}\` (apt-get install podman catatonit)`;
  process.stderr.write(`\n!!! ${reason}\n`);
  t.skip(reason);
  return false;
}

function harness(args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DOCKER_CONTEXT')) as Record<string, string>;
  return execa(process.execPath, [OOM_HARNESS_BIN, ...args], { env: { ...env, FORCE_COLOR: '0', DOCKER_HOST: `unix://${SOCKET}` }, extendEnv: false, reject: false });
}

after(async () => {
  if (!existsSync(SOCKET)) return;
  const left = await podman.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } }).catch(() => []);
  assert.deepEqual(left.map((container) => container.Names), [], 'no harness container is left on the Podman engine');
});

test('the smoke gate passes against Podman, and the manifest records Podman as the engine', async (t) => {
  if (!(await podmanOrSkip(t))) return;
  const out = tempOutDir();
  const junit = join(out, 'smoke.xml');
  const result = await harness(['smoke', '--cap', '2g', '--junit', junit, '--out', out]);
  assert.equal(result.exitCode, 0, String(result.stdout) + String(result.stderr));
  assert.match(String(result.stdout), /smoke at 2g: PASSED/);
  assert.match(readFileSync(junit, 'utf8'), /failures="0"/);
  const manifest = readJson(join(onlyRunDir(out), 'container_manifest.json'));
  assert.equal(manifest.engine.product, 'Podman');
  assert.equal(manifest.engine.endpoint, `unix://${SOCKET}`);
  assert.equal(manifest.engine.endpoint_source, 'DOCKER_HOST');
  assert.equal(manifest.verdict, 'completed');
  // Podman reports RLIMIT_NOFILE where Docker says nofile; the manifest says nofile either way.
  assert.deepEqual(manifest.container.applied.ulimits, manifest.container.requested.ulimits);
  assert.deepEqual(manifest.container.requested.ulimits.map((limit: { name: string }) => limit.name), ['nofile', 'nproc']);
  assert.equal(manifest.container.applied.memory_bytes, 2 * 1024 ** 3);
  assert.equal(manifest.container.applied.pids_limit, manifest.container.requested.pids_limit);
});

test('a workload past a 128m cap under Podman is OOM-killed: exit 3, cgroup-oom from the cgroup counter', async (t) => {
  if (!(await podmanOrSkip(t))) return;
  const out = tempOutDir();
  const result = await harness(['probe', '128m', '--step-mb', '8', '--step-ms', '20', '--json', '--out', out]);
  assert.equal(result.exitCode, 3, String(result.stderr));
  assert.equal(JSON.parse(String(result.stdout)).verdict, 'cgroup-oom');
  const runDir = onlyRunDir(out);
  const manifest = readJson(join(runDir, 'container_manifest.json'));
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  assert.equal(manifest.engine.product, 'Podman');
  assert.equal(manifest.container.applied.memory_bytes, 128 * 1024 ** 2);
  assert.equal(manifest.container.applied.memory_swap_bytes, 128 * 1024 ** 2);
  assert.ok(manifest.cgroup_oom_kills >= 1, `cgroup oom_kill counter: ${manifest.cgroup_oom_kills}`);
  assert.equal(summary.workers[0].oom_killed, true);
  assert.ok(summary.kernel_peak_mb >= 120, `kernel peak ${summary.kernel_peak_mb} MiB`);
});
