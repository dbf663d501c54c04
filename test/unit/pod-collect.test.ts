// How collect judges a pod's run from what the pod left and how Kubernetes saw it end, and how a pod reads its
// settings: pure parts, on records shaped like the real ones.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { podRunManifest } from '../../harness/collect/pod-run-manifest.js';
import { readPodStatus } from '../../harness/collect/pod-status.js';
import { PodSettingsError, podSettings } from '../../harness/pod/pod-settings.js';
import type { PodManifest } from '../../harness/run-files/pod-manifest.js';
import type { Summary } from '../../harness/run-files/summary.js';
import { tempOutDir } from '../helpers/cli.js';

const MIB = 1024 * 1024;

function pod(state: PodManifest['state'], verdict: PodManifest['verdict'], supervisorExit: number | null): PodManifest {
  return {
    schema: 'oom-harness/pod-manifest@1',
    run_id: 'r1',
    state,
    job: 'oom-harness-128mi',
    index: 1,
    pod: { name: 'oom-harness-128mi-1-x7k2p', namespace: 'default', node: 'n1' },
    command: 'oom-harness matrix a.pdf --caps 128m --emit k8s jobs',
    image: { ref: 'oom-harness:abc', content_hash: 'abc', base_image: 'scratch' },
    cap_bytes: 128 * MIB,
    cap_given: '128m',
    cpus: 1,
    requested: { memory_bytes: 128 * MIB, memory_swap_bytes: null, nano_cpus: 1e9, pids_limit: null, ulimits: [], network_mode: null, readonly_rootfs: true, cap_drop: ['ALL'], security_opt: [], init: null, user: '1000:1000', auto_remove: null },
    input: { name: 'a.pdf', size_bytes: 10, sha256: 'f'.repeat(64) },
    cgroup: { version: 2, limit_bytes: 128 * MIB },
    node: { kernel: '6.1', arch: 'x64', cpu_count: 4, memory_total_mb: 16000 },
    node_version: 'v20.20.2',
    started_at: '2026-11-25T00:00:00.000Z',
    finished_at: state === 'running' ? null : '2026-11-25T00:00:02.000Z',
    verdict,
    supervisor_exit_code: supervisorExit,
    error: null,
    warnings: [],
    unavailable: ['dmesg_excerpt.txt: no kernel log'],
  };
}

function summary(state: Summary['state'], verdict: Summary['verdict'], oomKills: [number, number]): Summary {
  return { run_id: 'r1', state, verdict, verdict_reason: verdict && `${verdict} as the supervisor saw it`, kernel: { oom_kills_before: oomKills[0], oom_kills_after: oomKills[1] } } as Summary;
}

const record = (p: PodManifest, s: Summary, end: Parameters<typeof podRunManifest>[0]['end'] = null) => podRunManifest({ pod: p, summary: s, end, outDirShown: 'collected', skipped: [], warnings: [] });

test("a pod that finished: the supervisor's verdict, with the exit code it would have had locally", () => {
  const oom = record(pod('finished', 'cgroup-oom', 3), summary('finished', 'cgroup-oom', [0, 1]));
  assert.deepEqual([oom.verdict, oom.cli_exit_code, oom.cgroup_oom_kills, oom.exit_code, oom.oom_killed], ['cgroup-oom', 3, 1, null, null]);
  assert.equal(oom.container.applied?.memory_bytes, 128 * MIB, 'the limit the pod found in its cgroup');
  assert.match(oom.command, /\(Job oom-harness-128mi, index 1, pod oom-harness-128mi-1-x7k2p\)$/);
  assert.ok(oom.warnings.includes('not recorded in a pod: dmesg_excerpt.txt: no kernel log'));
  const completed = record(pod('finished', 'completed', 0), summary('finished', 'completed', [0, 0]), { exitCode: 0, reason: 'Completed' });
  assert.deepEqual([completed.verdict, completed.exit_code, completed.oom_killed], ['completed', 0, false]);
});

test('a pod killed whole at an OOM (cgroup v2, memory.oom.group): cgroup-oom from the pod status; without it, said so', () => {
  const killed = record(pod('running', null, null), summary('running', null, [0, 0]), { exitCode: 137, reason: 'OOMKilled' });
  assert.equal(killed.verdict, 'cgroup-oom');
  assert.match(killed.verdict_reason, /the supervisor died; the engine reports OOMKilled/);
  assert.equal(killed.exit_code, 137);
  const unknown = record(pod('running', null, null), summary('running', null, [0, 0]));
  assert.equal(unknown.verdict, 'engine-error');
  assert.match(unknown.verdict_reason, /never finished, and no pod status says how the pod ended \(pass kubectl get pods -o json with --pod-status\)/);
  const counted = record(pod('running', null, null), summary('running', null, [0, 1]));
  assert.equal(counted.verdict, 'cgroup-oom', 'an OOM kill counted before the supervisor died is enough');
});

test('kubectl get pods -o json: the harness container of each pod that ended; a bad file exits 2 naming it', () => {
  const dir = tempOutDir();
  const path = join(dir, 'pods.json');
  const terminated = (exitCode: number, reason: string) => ({ state: { terminated: { exitCode, reason, startedAt: '2026-11-25T00:00:00Z', finishedAt: '2026-11-25T00:00:03Z' } } });
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { metadata: { name: 'p1' }, status: { containerStatuses: [{ name: 'harness', ...terminated(137, 'OOMKilled') }] } },
    { metadata: { name: 'p2' }, status: { containerStatuses: [{ name: 'harness', state: { running: {} } }] } },
    { metadata: { name: 'p3' }, status: { containerStatuses: [{ name: 'sidecar', ...terminated(1, 'Error') }] } },
  ] }));
  const ends = readPodStatus(path);
  assert.deepEqual([...ends.keys()], ['p1']);
  assert.equal(ends.get('p1')?.reason, 'OOMKilled');
  writeFileSync(path, '{"items": [{"metadata": {}}]}');
  assert.throws(() => readPodStatus(path), (error: Error & { exitCode?: number }) => error.exitCode === 2 && /--pod-status .*pods\.json: items\.0\.metadata\.name/.test(error.message));
  mkdirSync(join(dir, 'dir.json'));
  assert.throws(() => readPodStatus(join(dir, 'dir.json')), /cannot be read as JSON/);
});

test("a pod's settings: arguments over the environment, each bad value named with what was expected", () => {
  const settings = podSettings(['--out', '/runs'], { JOB_COMPLETION_INDEX: '3', OOM_HARNESS_OUT: '/ignored', POD_NAME: 'p-3-abcde' });
  assert.deepEqual(settings, { planPath: '/etc/oom-harness/pod-plan.json', index: 3, outDir: '/runs', runId: null, pod: { name: 'p-3-abcde', namespace: null, node: null } });
  const bad: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [[], {}, /^JOB_COMPLETION_INDEX: got nothing, expected the completion index/],
    [[], { JOB_COMPLETION_INDEX: '-1' }, /^JOB_COMPLETION_INDEX: got "-1", expected a completion index/],
    [['--index', 'x'], { JOB_COMPLETION_INDEX: '1' }, /^--index: got "x"/],
    [['--out', 'relative'], { JOB_COMPLETION_INDEX: '1' }, /^--out: got "relative", expected an absolute directory path/],
    [['--run-id', '../x'], { JOB_COMPLETION_INDEX: '1' }, /^--run-id: got "\.\.\/x"/],
    [['--bogus', '1'], { JOB_COMPLETION_INDEX: '1' }, /expected only --plan, --index, --out and --run-id/],
  ];
  for (const [argv, env, message] of bad) assert.throws(() => podSettings(argv, env), (error: Error) => error instanceof PodSettingsError && message.test(error.message));
});
