// The user's own command (`exec`), in their own image: the supervisor runs it as it is, with the image's
// environment and programs, and samples its whole process tree like any workload's.
import { basename } from 'node:path';
import type { Workload } from '../contract/workload.js';
import { ExecSpecSchema, type ExecSpec } from './spec.js';

export const execWorkload: Workload<ExecSpec> = {
  kind: 'exec',
  specSchema: ExecSpecSchema,
  coordinate: async (context, spec) => {
    const [file, ...args] = spec.command;
    const command = context.spawnCommand({ file: file!, args, cwd: spec.cwd, name: `the command ${basename(file!)}` });
    await command.result;
  },
};
