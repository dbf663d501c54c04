// Merges what the supervisor wrote with what the engine and the kernel say about the container's end.
import type { Summary } from '../run-files/summary.js';
import { exitCodeForVerdict } from '../common/verdict.js';
import type { Classification } from './classify-workers.js';

export interface ContainerEnd {
  exitCode: number | null;
  oomKilledByEngine: boolean;
  /** OOM kills counted by the container's cgroup, as last seen by anyone (supervisor or host). */
  cgroupOomKills: number | null;
}

export interface ClassifyContainerInput {
  summary: Summary | null;
  end: ContainerEnd | null;
  interruptedBy: string | null;
  engineError: string | null;
}

export function classifyContainer(input: ClassifyContainerInput): Classification {
  const { summary, end, interruptedBy, engineError } = input;
  if (engineError) return { verdict: 'engine-error', reason: engineError };
  if (interruptedBy) {
    const oomNote = end && (end.oomKilledByEngine || (end.cgroupOomKills ?? 0) > 0) ? '; OOM kills were recorded before the interrupt' : '';
    return { verdict: 'interrupted', reason: `the runner received ${interruptedBy}${oomNote}` };
  }
  if (!end) return { verdict: 'engine-error', reason: 'the container never reported an end' };
  const kernelSawOom = end.oomKilledByEngine || (end.cgroupOomKills ?? 0) > 0;
  if (summary?.state === 'finished' && summary.verdict) {
    // The summary is the container's word; the engine's exit code is not. When they disagree, the engine wins.
    const expected = exitCodeForVerdict(summary.verdict);
    if (end.exitCode !== null && end.exitCode !== expected && !kernelSawOom) {
      return fromExitCode(end, `the supervisor's summary says ${summary.verdict}, but the container exited ${end.exitCode}`);
    }
    if (kernelSawOom && summary.verdict !== 'cgroup-oom' && summary.verdict !== 'heap-oom') {
      return {
        verdict: 'cgroup-oom',
        reason: `the supervisor reported ${summary.verdict}, but the kernel recorded an OOM kill in the container (${oomEvidence(end)})`,
      };
    }
    return { verdict: summary.verdict, reason: summary.verdict_reason ?? summary.verdict };
  }
  // No final summary: the supervisor itself died, so only the engine's and the kernel's figures remain.
  if (kernelSawOom) return { verdict: 'cgroup-oom', reason: `the supervisor died; ${oomEvidence(end)}` };
  return fromExitCode(end, 'no final summary from the supervisor');
}

function fromExitCode(end: ContainerEnd, why: string): Classification {
  if (end.exitCode === 137) return { verdict: 'killed-not-oom', reason: `${why}: the container exited 137 (SIGKILL) with no OOM kill recorded` };
  return { verdict: 'crashed', reason: `${why}: the container exited ${end.exitCode ?? 'with no code'}` };
}

function oomEvidence(end: ContainerEnd): string {
  const parts: string[] = [];
  if (end.oomKilledByEngine) parts.push('the engine reports OOMKilled');
  if ((end.cgroupOomKills ?? 0) > 0) parts.push(`cgroup oom_kill = ${end.cgroupOomKills}`);
  return parts.join(', ');
}
