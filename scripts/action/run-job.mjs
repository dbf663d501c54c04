#!/usr/bin/env node
// The GitHub Action's run step (action.yml): the smoke gate, or the workflow's own command through `oom-harness
// exec`, built from the action's inputs (passed as OOM_ACTION_* variables); the result becomes the step's outputs and
// a job summary, and the step exits with the harness's exit code.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A command line split into words as a shell splits it (quotes, backslashes), with no expansion of any kind. */
export function splitWords(line) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) word += line[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word ??= '';
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\') word += line[++i] ?? '';
      else word += c;
    }
  }
  if (quote) throw new Error(`command: got ${JSON.stringify(line)}, expected balanced quotes (a ${quote} is not closed)`);
  if (word !== null) words.push(word);
  return words;
}

/** The harness's arguments for the inputs: smoke without a command, exec with one. */
export function harnessArgs(inputs) {
  const mounts = inputs.mounts.split('\n').map((line) => line.trim()).filter(Boolean);
  const common = ['--out', inputs.out, '--junit', inputs.junit, '--json'];
  if (!inputs.command.trim()) {
    if (inputs.image || mounts.length) throw new Error('image and mounts are for command (oom-harness exec); without a command the smoke gate runs');
    return ['smoke', '--cap', inputs.cap, ...(inputs.input ? ['--input', inputs.input] : []), ...common];
  }
  if (inputs.input) throw new Error('input is the smoke gate\'s PDF; with a command, give your data through mounts');
  const words = splitWords(inputs.command);
  return ['exec', inputs.cap, ...(inputs.image ? ['--image', inputs.image] : []), ...mounts.flatMap((m) => ['--mount', m]), ...common, '--', ...words];
}

function setOutput(name, value) {
  const text = String(value ?? '');
  if (/[\r\n]/.test(text)) throw new Error(`output ${name} holds a line break`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${text}\n`);
}

function summary(result, args) {
  const lines = [`### oom-harness ${args[0]} at ${args[0] === 'smoke' ? args[2] : args[1]}: ${result.verdict}`, '', `${result.reason}`, ''];
  if (Array.isArray(result.checks)) {
    lines.push('| check | result | measured |', '| --- | --- | --- |');
    for (const c of result.checks) lines.push(`| ${c.name} | ${c.passed ? 'pass' : '**FAIL**'} | ${String(c.message).replaceAll('|', '\\|')} |`);
    lines.push('');
  }
  lines.push(`Kernel peak ${result.kernel_peak_mb ?? 'n/a'} MiB of a ${Math.round(result.cap_bytes / 1048576)} MiB cap. Bundle: \`${result.bundle}\``, '');
  return lines.join('\n');
}

function main() {
  const env = process.env;
  const inputs = {
    cap: env.OOM_ACTION_CAP || '2g',
    input: env.OOM_ACTION_INPUT ?? '',
    command: env.OOM_ACTION_COMMAND ?? '',
    image: env.OOM_ACTION_IMAGE ?? '',
    mounts: env.OOM_ACTION_MOUNTS ?? '',
    junit: resolve(env.OOM_ACTION_JUNIT || 'oom-harness/junit.xml'),
    out: resolve(env.OOM_ACTION_OUT || 'oom-harness'),
  };
  let args;
  try {
    args = harnessArgs(inputs);
  } catch (error) {
    process.stdout.write(`::error title=oom-harness::${error.message}\n`);
    setOutput('exit-code', 2);
    return 2;
  }
  mkdirSync(inputs.out, { recursive: true });
  mkdirSync(dirname(inputs.junit), { recursive: true });
  process.stderr.write(`oom-harness ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ')}\n`);
  const run = spawnSync(env.OOM_HARNESS_BIN || 'oom-harness', args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const code = run.status ?? 5;
  let result = null;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    process.stdout.write(`::error title=oom-harness::no result from oom-harness (${run.error?.message ?? `exit ${code}`}): ${run.stdout.slice(0, 500)}\n`);
  }
  setOutput('exit-code', code);
  if (result?.error) process.stdout.write(`::error title=oom-harness::${result.error.message}${result.error.hint ? ` (${result.error.hint})` : ''}\n`);
  if (result && !result.error) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    setOutput('verdict', result.verdict);
    setOutput('bundle', result.bundle ?? '');
    setOutput('run-dir', result.run_dir);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary(result, args));
    if (code !== 0) {
      const failed = Array.isArray(result.checks) ? result.checks.filter((c) => !c.passed).map((c) => c.name) : [];
      const why = failed.length ? `failed: ${failed.join('; ')}` : `verdict ${result.verdict}: ${result.reason}`;
      process.stdout.write(`::error title=oom-harness::${args[0]} exited ${code}, ${why}\n`);
    }
  }
  setOutput('junit', existsSync(inputs.junit) ? inputs.junit : '');
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
