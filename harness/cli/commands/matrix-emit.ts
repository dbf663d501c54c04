// matrix --emit k8s <dir>: the Jobs written instead of the runs, and what to do next.
import { formatBytes } from '../../common/byte-size.js';
import { printable, printableJson } from '../../common/terminal-text.js';
import { emitKubernetesJobs, type EmitRequest } from '../../k8s/emit-jobs.js';
import { JOBS_DOC_FILE } from '../../k8s/jobs-doc.js';
import { displayCommand, displayPath } from '../../run/display-paths.js';
import type { CliIo } from '../cli-io.js';
import { projectRoot } from '../../common/project-root.js';
import { HARNESS_VERSION } from '../../common/version.js';

export async function emitMatrixJobs(io: CliIo, request: Omit<EmitRequest, 'projectRoot' | 'harnessVersion' | 'command'>): Promise<void> {
  const command = displayCommand('oom-harness', process.argv.slice(2), null);
  const result = await emitKubernetesJobs({ ...request, projectRoot: projectRoot(), harnessVersion: HARNESS_VERSION, command });
  const jobs = result.jobs.map((job) => ({ name: job.jobName, cap_bytes: job.capBytes, completions: job.plan.inputs.length, image: job.plan.image.ref }));
  if (request.raw.json) {
    io.stdout(`${printableJson({ emitted: { dir: result.dir, files: result.files, jobs }, exit_code: 0 })}\n`);
    return;
  }
  const shown = displayPath(result.dir);
  const lines = [`wrote ${jobs.length} Indexed Job(s) to ${printable(shown)} (nothing applied, nothing pushed):`];
  for (const job of jobs) lines.push(`  ${job.name}: ${job.completions} pod(s), limits.memory = requests.memory = the ${formatBytes(job.cap_bytes)} cap, image ${printable(job.image)}`);
  lines.push(`  files: ${result.files.map(printable).join(', ')}`, `next: read ${printable(shown)}/${JOBS_DOC_FILE} (push the image, apply, copy the runs out, collect)`);
  io.stdout(`${lines.join('\n')}\n`);
}
