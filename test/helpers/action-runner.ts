// Runs a composite action's own `run:` steps locally, as a GitHub runner would: inputs at their defaults, the
// expressions it uses substituted, each step in `bash --noprofile --norc -eo pipefail`, with GITHUB_ENV, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files carried from step to step. `uses:` steps are not run: they are returned, their
// `with:` values substituted, for the caller to check and report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';

interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

export interface ActionFile {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface RanStep {
  name: string;
  exitCode: number;
  output: string;
  durationMs: number;
}

export interface SkippedStep {
  name: string;
  uses: string;
  with: Record<string, string>;
}

export interface ActionRun {
  ran: RanStep[];
  skipped: SkippedStep[];
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionPlace {
  actionPath: string;
  workspace: string;
  runnerTemp: string;
}

export function readAction(path: string): ActionFile {
  return parse(readFileSync(path, 'utf8')) as ActionFile;
}

/** key=value lines and key<<DELIMITER blocks, as GitHub reads GITHUB_ENV and GITHUB_OUTPUT. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== heredoc[2]; i += 1) body.push(lines[i]!);
      values[heredoc[1]!] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export async function runActionSteps(action: ActionFile, place: ActionPlace): Promise<ActionRun> {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};
  const substitute = (text: string) =>
    text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_all, expression: string) => {
      let match: RegExpExecArray | null;
      if ((match = /^inputs\.([\w-]+)$/.exec(expression))) return inputs[match[1]!] ?? '';
      if (expression === 'github.action_path') return place.actionPath;
      if (expression === 'runner.temp') return place.runnerTemp;
      if ((match = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return stepOutputs[match[1]!]?.[match[2]!] ?? '';
      throw new Error(`action.yml uses \${{ ${expression} }}, which this runner does not know`);
    });
  const files = join(place.runnerTemp, '_runner_file_commands');
  mkdirSync(files, { recursive: true });
  const summaryFile = join(files, 'step_summary');
  writeFileSync(summaryFile, '');
  // The runner's environment, without anything GitHub-specific of the machine the tests run on.
  const exported: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_'))) as Record<string, string>;
  const result: ActionRun = { ran: [], skipped: [], outputs: {}, summary: '' };
  let failed = false;
  for (const [index, step] of action.runs.steps.entries()) {
    const name = step.name ?? `step ${index + 1}`;
    // After a failure only steps that ask to run always() would run on GitHub.
    if (failed && step.run !== undefined && !/always\(\)/.test(step.if ?? '')) continue;
    if (step.uses) {
      result.skipped.push({ name, uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))])) });
      continue;
    }
    if (step.shell !== 'bash' || step.run === undefined) throw new Error(`${name}: only bash run steps can run here`);
    const envFile = join(files, `env_${index}`);
    const outputFile = join(files, `output_${index}`);
    writeFileSync(envFile, '');
    writeFileSync(outputFile, '');
    const script = join(files, `step_${index}.sh`);
    writeFileSync(script, substitute(step.run));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))]));
    const startedMs = Date.now();
    const ran = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: place.workspace,
      extendEnv: false,
      env: {
        ...exported,
        ...stepEnv,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: place.actionPath,
        GITHUB_WORKSPACE: place.workspace,
        RUNNER_TEMP: place.runnerTemp,
        GITHUB_ENV: envFile,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
      },
      all: true,
      reject: false,
    });
    result.ran.push({ name, exitCode: ran.exitCode ?? -1, output: String(ran.all), durationMs: Date.now() - startedMs });
    failed ||= ran.exitCode !== 0;
    Object.assign(exported, parseCommandFile(readFileSync(envFile, 'utf8')));
    if (step.id) stepOutputs[step.id] = parseCommandFile(readFileSync(outputFile, 'utf8'));
  }
  result.outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value)]));
  result.summary = readFileSync(summaryFile, 'utf8');
  return result;
}
