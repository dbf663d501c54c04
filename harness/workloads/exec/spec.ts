// The exec workload's spec, as run-config.json carries it: the user's command and where it runs. Environment
// values never come here (run-config.json is bundled): the engine hands them to the container, by name only here.
import * as z from 'zod';

export const ExecSpecSchema = z.object({
  kind: z.literal('exec'),
  command: z.array(z.string()).min(1),
  /** The working directory; null keeps the image's. */
  cwd: z.string().nullable(),
  /** Names of the variables set with --env and --env-file; their values are not recorded. */
  env_names: z.array(z.string()),
  image: z.string(),
});
export type ExecSpec = z.infer<typeof ExecSpecSchema>;
