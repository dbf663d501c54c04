// The one vocabulary for how a run ended, shared by the supervisor, the host runner and the CLI.
export const VERDICTS = [
  'completed',
  'cgroup-oom',
  'heap-oom',
  'killed-not-oom',
  'pids-limit',
  'timeout',
  'crashed',
  'interrupted',
  'engine-error',
] as const;

export type Verdict = (typeof VERDICTS)[number];

export const EXIT_CODES = {
  completed: 0,
  /** smoke and simulate-pressure: a check failed. */
  checkFailed: 1,
  usage: 2,
  oomReproduced: 3,
  workerFailed: 4,
  harnessError: 5,
  interrupted: 130,
} as const;

export function exitCodeForVerdict(verdict: Verdict): number {
  switch (verdict) {
    case 'completed':
      return EXIT_CODES.completed;
    case 'cgroup-oom':
    case 'heap-oom':
      return EXIT_CODES.oomReproduced;
    case 'killed-not-oom':
    case 'pids-limit':
    case 'timeout':
    case 'crashed':
      return EXIT_CODES.workerFailed;
    case 'interrupted':
      return EXIT_CODES.interrupted;
    case 'engine-error':
      return EXIT_CODES.harnessError;
  }
}

/** The exit codes as a command's help lists them; `checkFailed` says what exit 1 means where a command has checks. */
export function exitCodeHelp(checkFailed?: string): string {
  return [
    'Exit codes:',
    '  0    completed: the job finished under the cap',
    ...(checkFailed ? [`  1    ${checkFailed}`] : []),
    '  2    bad input or usage (nothing was started)',
    '  3    OOM reproduced: cgroup-oom (kernel OOM killer) or heap-oom (V8 heap limit)',
    '  4    the job failed another way: killed-not-oom, pids-limit, timeout, crashed',
    '  5    harness or engine error',
    '  130  interrupted by SIGINT or SIGTERM',
  ].join('\n');
}
