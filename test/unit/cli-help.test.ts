// Every command's help: examples, the exit codes in order, defaults shown plainly and choices listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../harness/cli/main.js';
import { oomHarnessProgram } from '../../harness/cli/commands/program.js';
import { runInDockerProgram } from '../../harness/cli/commands/run-command.js';
import type { CliIo } from '../../harness/cli/cli-io.js';

async function help(build: typeof oomHarnessProgram, args: string[]): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: (text) => void (out += text), stderr: () => undefined, stderrIsTty: false };
  assert.equal(await main(build, [...args, '--help'], io), 0);
  return out;
}

test('every command has examples and its exit codes, the check-failed code in order', async () => {
  for (const command of ['run', 'probe', 'report', 'smoke', 'simulate-pressure', 'build-image']) {
    const text = await help(oomHarnessProgram, [command]);
    if (['run', 'probe', 'smoke', 'simulate-pressure'].includes(command)) {
      assert.match(text, /\nExamples:\n {2}\$ oom-harness /, command);
      assert.match(text, /\nExit codes:\n {2}0 {4}completed/, command);
    }
    assert.doesNotMatch(text, /default: "/, `${command}: defaults are shown plainly`);
  }
  const smoke = await help(oomHarnessProgram, ['smoke']);
  assert.ok(smoke.indexOf('Exit codes:') < smoke.indexOf('  1    a smoke assertion failed'), 'exit 1 is listed under the heading');
  const run = (await help(runInDockerProgram, [])).replace(/\s+/g, ' ');
  assert.match(run, /--sink <kind> [^(]*\(choices: mock, jsonl; default: mock\)/);
  assert.match(run, /--on-worker-death <policy> [^(]*\(choices: stop, continue; default: stop\)/);
  assert.match(run, /--sample-interval-ms <ms> [^(]*\(default: 200\)/);
  assert.doesNotMatch(await help(oomHarnessProgram, ['probe']), /--include-input/, 'a run with no input does not offer to pack it');
});
