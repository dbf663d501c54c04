// oom-harness doctor: whether this machine can reproduce an OOM faithfully, one line per requirement.
import { Command } from 'commander';
import * as z from 'zod';
import { bytesToMiB } from '../../common/byte-size.js';
import { printableJson, printableLines } from '../../common/terminal-text.js';
import { EXIT_CODES } from '../../common/verdict.js';
import { doctorLines, renderDoctor } from '../../doctor/doctor-checks.js';
import { readDoctorFacts } from '../../doctor/doctor-facts.js';
import { capBytesSchema } from '../../options/option-schemas.js';
import { parseOptions } from '../../options/parse-options.js';
import type { CliIo } from '../cli-io.js';
import { addHelpFooter } from '../help-text.js';

export function doctorCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('doctor')
    .description('check that this machine can reproduce an OOM faithfully: engine, cgroup, kernel log, memory, limits')
    .option('--cap <size>', 'the cap you mean to use, to check the host has room for it', '2g')
    .option('--json', 'print { ok, lines, facts } as one JSON object');
  addHelpFooter(command, ['oom-harness doctor', 'oom-harness doctor --cap 6g --json'], 'a requirement is not met (the line says what to do)');
  command.action(async (raw: Record<string, unknown>) => {
    const { capBytes, json } = parseOptions(z.object({ capBytes: capBytesSchema, json: z.boolean().default(false) }), { capBytes: raw.cap, json: Boolean(raw.json) }, { capBytes: '--cap' });
    const facts = await readDoctorFacts();
    const lines = doctorLines(facts, bytesToMiB(capBytes));
    const ok = lines.every((l) => l.status !== 'fail');
    io.stdout(json ? `${printableJson({ ok, lines, facts })}\n` : printableLines(renderDoctor(lines)));
    setExitCode(ok ? EXIT_CODES.completed : EXIT_CODES.checkFailed);
  });
  return command;
}
