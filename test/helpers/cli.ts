import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { CliIo } from '../../harness/cli/cli-io.js';
import { OOM_HARNESS_BIN } from './paths.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function tempOutDir(prefix = 'oom-harness-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function startCli(args: readonly string[], bin = OOM_HARNESS_BIN) {
  return execa(process.execPath, [bin, ...args], { reject: false, env: { FORCE_COLOR: '0' } });
}

export async function runCli(args: readonly string[], bin = OOM_HARNESS_BIN): Promise<CliResult> {
  const result = await startCli(args, bin);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The single run directory a command created under `outDir`. */
export function onlyRunDir(outDir: string): string {
  const dirs = readdirSync(outDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  if (dirs.length !== 1) throw new Error(`expected one run directory in ${outDir}, found ${dirs.map((d) => d.name).join(', ') || 'none'}`);
  return join(outDir, dirs[0]!.name);
}

export function readJson<T = Record<string, any>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A CLI's output kept in memory, for commands run in-process through main(). */
export function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (text) => void (out += text), stderr: (text) => void (err += text), stderrIsTty: false, out: () => out, err: () => err };
}
