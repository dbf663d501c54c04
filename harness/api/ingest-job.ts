// The PDF ingest as a job: options parsed and the input checked, the same way for the CLI and the library.
import { checkInput } from '../input/check-input.js';
import { parseOptions } from '../options/parse-options.js';
import { RUN_OPTION_NAMES, runOptionsSchema } from '../options/run-options.js';
import { currentContainerUser } from '../run/container-user.js';
import { ingestOptionsSchema, ingestSpec } from '../workloads/ingest/options.js';
import type { JobRequest } from './run-job.js';

/** `raw` holds option values as the CLI gives them (strings, booleans), defaults included. */
export async function ingestJob(inputPath: string, cap: string, raw: Record<string, unknown>, programName: string): Promise<Omit<JobRequest, 'argv'>> {
  const options = parseOptions(runOptionsSchema(), { ...raw, capBytes: cap }, RUN_OPTION_NAMES);
  const ingest = parseOptions(ingestOptionsSchema, raw);
  const input = await checkInput(inputPath, currentContainerUser());
  return { options, capGiven: cap, input, workload: (inputs) => ingestSpec(ingest, inputs), programName };
}
