// doctor against the real engine, and against an endpoint where none answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { runCli } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { OOM_HARNESS_BIN } from '../helpers/paths.js';

test('doctor passes on this machine, and names the endpoint and the fix when no engine answers there', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const good = await runCli(['doctor', '--json']);
  assert.equal(good.exitCode, 0, good.stdout);
  const report = JSON.parse(good.stdout);
  assert.equal(report.ok, true);
  assert.deepEqual(report.lines.filter((l: { status: string }) => l.status === 'fail'), []);
  const dead = await execa(process.execPath, [OOM_HARNESS_BIN, 'doctor'], { reject: false, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  assert.equal(dead.exitCode, 1);
  assert.match(String(dead.stdout), /FAIL\s+engine\s+no engine answers at unix:\/\/\/nonexistent\/docker.sock/);
  assert.match(String(dead.stdout), /fix: start one/);
});
