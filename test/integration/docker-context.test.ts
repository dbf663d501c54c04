// A Docker context is honoured as the Docker CLI honours it: a real context created with `docker context create`
// in a temporary DOCKER_CONFIG, made current with `docker context use`, carries a real capped job; one that does
// not exist, or whose engine is not there, stops the run before any container with an error naming it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { execa } from 'execa';
import { onlyRunDir, readJson, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip, harnessContainers } from '../helpers/engine.js';
import { OOM_HARNESS_BIN } from '../helpers/paths.js';

const SOCKET = 'unix:///var/run/docker.sock';
const configDir = mkdtempSync(join(tmpdir(), 'oom-harness-docker-config-'));
after(() => rmSync(configDir, { recursive: true, force: true }));

/** The environment with the engine chosen only by the temporary Docker config (and what `extra` adds). */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DOCKER_HOST' && name !== 'DOCKER_CONTEXT')) as Record<string, string>;
  return { ...base, FORCE_COLOR: '0', DOCKER_CONFIG: configDir, ...extra };
}

async function dockerCli(t: TestContext, args: string[]): Promise<boolean> {
  const result = await execa('docker', args, { env: env(), extendEnv: false, reject: false });
  if (result.exitCode === 0) return true;
  const reason = `the docker CLI could not run \`docker ${args.join(' ')}\`: ${String(result.stderr || result.message).trim()}`;
  if (process.env.OOM_HARNESS_REQUIRE_ENGINE === '1') throw new Error(reason);
  process.stderr.write(`\n!!! SKIPPED: ${reason}\n`);
  t.skip(reason);
  return false;
}

function harness(args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, [OOM_HARNESS_BIN, ...args], { env: env(extra), extendEnv: false, reject: false });
}

test('the current Docker context carries a capped job, and the manifest says which context and engine ran it', async (t) => {
  if (!(await engineOrSkip(t))) return;
  if (!(await dockerCli(t, ['context', 'create', 'oom-harness-ci', '--docker', `host=${SOCKET}`]))) return;
  if (!(await dockerCli(t, ['context', 'use', 'oom-harness-ci']))) return;
  const out = tempOutDir();
  const result = await harness(['probe', '128m', '--step-mb', '8', '--step-ms', '20', '--json', '--out', out]);
  assert.equal(result.exitCode, 3, String(result.stderr));
  assert.equal(JSON.parse(String(result.stdout)).verdict, 'cgroup-oom');
  const manifest = readJson(join(onlyRunDir(out), 'container_manifest.json'));
  assert.equal(manifest.engine.endpoint, SOCKET);
  assert.equal(manifest.engine.endpoint_source, 'docker-config');
  assert.equal(manifest.engine.context, 'oom-harness-ci');
  assert.match(manifest.engine.product, /^(Docker|Podman)$/);
  assert.ok(manifest.engine.version.length > 0);
  assert.ok(manifest.cgroup_oom_kills >= 1);
});

test("DOCKER_CONTEXT overrides the current context, and a context whose engine is not there fails naming it", async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  if (!(await dockerCli(t, ['context', 'create', 'oom-harness-nowhere', '--docker', 'host=unix:///nonexistent/oom-harness.sock']))) return;
  const before = (await harnessContainers(docker)).length;
  const result = await harness(['probe', '128m', '--target-mb', '5', '--out', tempOutDir()], { DOCKER_CONTEXT: 'oom-harness-nowhere' });
  assert.equal(result.exitCode, 5, String(result.stderr));
  assert.match(String(result.stderr), /no Docker engine answers at unix:\/\/\/nonexistent\/oom-harness\.sock \(context "oom-harness-nowhere", from DOCKER_CONTEXT\)/);
  assert.equal((await harnessContainers(docker)).length, before);
});

test('a context that does not exist: exit 2, one error naming it and where the name came from, nothing started', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const before = (await harnessContainers(docker)).length;
  const out = tempOutDir();
  const result = await harness(['probe', '128m', '--target-mb', '5', '--json', '--out', out], { DOCKER_CONTEXT: 'no-such-context' });
  assert.equal(result.exitCode, 2, String(result.stderr));
  const json = JSON.parse(String(result.stdout));
  assert.equal(json.error.code, 'BAD_INPUT');
  assert.match(json.error.message, /^DOCKER_CONTEXT: got "no-such-context", expected the name of a Docker context/);
  assert.equal((await harnessContainers(docker)).length, before);
  assert.deepEqual(await import('node:fs').then((fs) => fs.readdirSync(out)), [], 'no run directory');
});
