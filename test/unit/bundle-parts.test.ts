import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectDmesgExcerpt, KernelLogReader } from '../../harness/bundle/dmesg-excerpt.js';
import { parseMeminfo, parseOsRelease } from '../../harness/bundle/host-metadata.js';
import { renderMemoryChart } from '../../harness/bundle/memory-chart.js';
import { niceStep } from '../../harness/bundle/svg-plot.js';
import { parseDmesgRawLine, parseKmsgRecord, selectContainerOomRecords, type KernelRecord } from '../../harness/kernel/kernel-log.js';
import { entryProblem, extractArchiveSafely } from '../../harness/report/safe-extract.js';
import { tempOutDir } from '../helpers/cli.js';
import { craftTarGz } from '../helpers/craft-tar.js';
import { fixture } from '../helpers/paths.js';

const CONTAINER = 'b533d7902ffaa04d7e6056f9106ed40ca52c29f333aeb8edc9893da16c15cc73';
const OTHER_CONTAINER = 'f2ab8237a6c14f1f82419ea1ba3a778b8983e535138cf24d8f38e5bea73ba8f7';

function fixtureRecords(name: string): KernelRecord[] {
  return readFileSync(fixture('dmesg', name), 'utf8').split('\n').flatMap((line) => parseDmesgRawLine(line) ?? []);
}

test('kernel log lines parse from /dev/kmsg and from dmesg --raw', () => {
  assert.deepEqual(parseKmsgRecord('3,1234,8216251159,-;Memory cgroup out of memory: Killed process 14468 (node)\n SUBSYSTEM=memory'), {
    usec: 8216251159,
    level: 3,
    message: 'Memory cgroup out of memory: Killed process 14468 (node)',
  });
  assert.deepEqual(parseDmesgRawLine('<6>[ 8216.251132] oom-kill:constraint=CONSTRAINT_MEMCG'), { usec: 8216251132, level: 6, message: 'oom-kill:constraint=CONSTRAINT_MEMCG' });
  assert.equal(parseKmsgRecord('no separator'), null);
});

test("the excerpt keeps this container's OOM report whole and drops every unrelated host line", () => {
  const selected = selectContainerOomRecords(fixtureRecords('oom-with-unrelated-lines.raw.txt'), CONTAINER).map((r) => r.message);
  assert.ok(selected[0]!.includes('invoked oom-killer'));
  assert.ok(selected.some((line) => line.startsWith('oom-kill:') && line.includes(CONTAINER)));
  assert.ok(selected.at(-1)!.startsWith('Memory cgroup out of memory: Killed process'));
  assert.ok(selected.some((line) => line.startsWith('Memory cgroup stats for /docker/b533d790')));
  assert.ok(selected.some((line) => /^\[\s*\d+\]\s+1000/.test(line)), 'the task dump belongs to the report');
  const all = selected.join('\n');
  for (const unrelated of ['docker0: port', 'apparmor', 'id_rsa', 'EXT4-fs', 'secret-volume']) assert.ok(!all.includes(unrelated), unrelated);
  assert.ok(!all.includes(OTHER_CONTAINER), "another container's report is not copied");
});

test("under Podman the report names the container's cgroup as libpod-<id>, and is still found by the id", () => {
  const podman = '5fe7ea5d42d2161eb8496e7ed293c138e2198b20d8891c19f8e8f5ea37088cc8';
  const selected = selectContainerOomRecords(fixtureRecords('oom-podman.raw.txt'), podman).map((r) => r.message);
  assert.ok(selected[0]!.includes('invoked oom-killer'));
  assert.ok(selected.some((line) => line.includes(`oom_memcg=/libpod_parent/libpod-${podman}`)));
  assert.match(selected.at(-1)!, /^Memory cgroup out of memory: Killed process 17969 \(node\)/);
});

test('no report for a container the log never mentions', () => {
  assert.deepEqual(selectContainerOomRecords(fixtureRecords('oom-two-containers.raw.txt'), 'deadbeef'), []);
});

test('an unreadable kernel log gives a file that says why, and a warning instead of a failure', async () => {
  const denied = Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
  const excerpt = await collectDmesgExcerpt({
    containerId: CONTAINER,
    windowStartMs: 0,
    windowEndMs: 1000,
    bootWallMs: 0,
    sources: [
      { name: '/dev/kmsg', read: async () => Promise.reject(denied) },
      { name: 'dmesg --raw', read: async () => Promise.reject(denied) },
    ],
  });
  assert.equal(excerpt.source, null);
  assert.match(excerpt.text, /could not be read/);
  assert.match(excerpt.text, /\/dev\/kmsg: permission denied/);
  assert.match(excerpt.text, /dmesg_restrict/);
  assert.match(excerpt.warning!, /could not be read/);
});

test('the excerpt keeps only records inside the run window', async () => {
  const records = fixtureRecords('oom-two-containers.raw.txt');
  const source = { name: 'fixture', read: async () => records };
  // Boot at 0: the report for CONTAINER is at 8222.17 s since boot.
  const inside = await collectDmesgExcerpt({ containerId: CONTAINER, windowStartMs: 8_220_000, windowEndMs: 8_223_000, bootWallMs: 0, sources: [source] });
  assert.ok(inside.lines.length > 20);
  assert.match(inside.text, /# source: fixture/);
  const outside = await collectDmesgExcerpt({ containerId: CONTAINER, windowStartMs: 9_000_000, windowEndMs: 9_001_000, bootWallMs: 0, sources: [source] });
  assert.deepEqual(outside.lines, []);
  assert.match(outside.text, /no OOM-killer report for this container/);
});

/** Whether this process may read and write the kernel log (root, as in CI); the test below says why it skips. */
function kernelLogWritable(): string | null {
  try {
    new KernelLogReader().close();
    writeFileSync('/dev/kmsg', '<6>oom-harness test: probing /dev/kmsg\n');
    return null;
  } catch (error) {
    return `/dev/kmsg cannot be read and written here (${(error as Error).message}): run the tests as root`;
  }
}

test('the kernel log opened during a run reads what it held then and what came after, each record once, and closes its file', (t) => {
  const why = kernelLogWritable();
  if (why) return t.skip(why);
  const fds = () => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === '/dev/kmsg';
    } catch {
      return false;
    }
  }).length;
  const before = fds();
  const marker = (when: string) => `oom-harness test ${process.pid}-${Date.now()} ${when}`;
  const early = marker('before');
  writeFileSync('/dev/kmsg', `<6>${early}\n`);
  const reader = new KernelLogReader();
  assert.equal(fds(), before + 1, 'kept open while the run goes on');
  const late = marker('after');
  writeFileSync('/dev/kmsg', `<6>${late}\n`);
  const records = reader.readAll();
  assert.equal(records.filter((record) => record.message.includes(early)).length, 1, 'the record from before it opened, once');
  assert.equal(records.filter((record) => record.message.includes(late)).length, 1, 'the record written while it was open, once');
  assert.equal(fds(), before, 'closed once read');
  assert.throws(() => reader.readAll(), /closed/);
});

test('host parsers: os-release and meminfo', () => {
  assert.equal(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  const meminfo = parseMeminfo('MemTotal:       24685340 kB\nMemAvailable:   24117524 kB\nSwapTotal:             0 kB\n');
  assert.equal(meminfo.get('MemAvailable'), 24117524);
  assert.equal(meminfo.get('SwapTotal'), 0);
});

test('the chart draws usage, RSS, the cap, batch marks and the death, and escapes text', () => {
  const svg = renderMemoryChart({
    title: 'run <1> & co',
    verdict: 'cgroup-oom',
    capMb: 256,
    heapLimitMb: 144,
    ticks: [
      { elapsedMs: 0, rssSumMb: 40, pssSumMb: 30, cgroupUsageMb: 30 },
      { elapsedMs: 200, rssSumMb: 140, pssSumMb: 120, cgroupUsageMb: 130 },
      { elapsedMs: 400, rssSumMb: 350, pssSumMb: 250, cgroupUsageMb: 255 },
    ],
    batchStartsS: [0.1, 0.3],
    rangeStarts: [{ atS: 0.05, page: 1 }],
    deaths: [{ atS: 0.45, label: 'worker 1: OOM kill' }],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<polyline class="cgroup" points="[^"]+"/);
  assert.match(svg, /<polyline class="pss"/);
  assert.doesNotMatch(svg, /class="rss"/, 'summed RSS is not drawn when PSS is there');
  assert.match(svg, /class="heap-limit"/);
  assert.equal((svg.match(/class="range"/g) ?? []).length, 1);
  assert.match(svg, />PSS, all processes</);
  assert.doesNotMatch(svg, /RSS, all processes/, 'the legend lists only what is drawn');
  assert.match(svg, /class="cap"/);
  assert.equal((svg.match(/class="batch"/g) ?? []).length, 2);
  assert.match(svg, /class="death"/);
  assert.match(svg, /worker 1: OOM kill/);
  assert.match(svg, /run &lt;1&gt; &amp; co/);
  assert.equal(niceStep(256), 100);
  assert.equal(niceStep(10, 8), 2);
});

const RUN = '20261124-064015-f554b3';

test('archive entries: only the files a bundle holds, as regular files, below one run id', () => {
  assert.equal(entryProblem({ path: `${RUN}/container/summary.json`, type: 'File', size: 10 }), null);
  assert.equal(entryProblem({ path: `${RUN}/README.txt`, type: 'File', size: 10 }), null);
  assert.equal(entryProblem({ path: `${RUN}/input/report (final).pdf`, type: 'File', size: 10 }), null);
  assert.equal(entryProblem({ path: `${RUN}/container/workers/worker-3.log`, type: 'File', size: 10 }), null);
  assert.equal(entryProblem({ path: `${RUN}/container/`, type: 'Directory', size: 0 }), null);
  assert.match(entryProblem({ path: '/etc/passwd', type: 'File', size: 1 })!, /absolute/);
  assert.match(entryProblem({ path: `${RUN}/../../x`, type: 'File', size: 1 })!, /\.\./);
  assert.match(entryProblem({ path: `${RUN}/README.txt`, type: 'SymbolicLink', size: 0 })!, /SymbolicLink/);
  assert.match(entryProblem({ path: `${RUN}/dev`, type: 'CharacterDevice', size: 0 })!, /CharacterDevice/);
  assert.match(entryProblem({ path: `${RUN}/summary.json.bak`, type: 'File', size: 1 })!, /not a file a bundle holds/);
  assert.match(entryProblem({ path: `${RUN}/container/evil.sh`, type: 'File', size: 1 })!, /not a file a bundle holds/);
  assert.match(entryProblem({ path: 'run/README.txt', type: 'File', size: 1 })!, /outside a <run-id>/);
});

test('a crafted archive with ../, absolute, link, device or unknown entries is refused whole, and nothing is written', async () => {
  const dir = tempOutDir();
  const victim = join(dir, 'victim');
  mkdirSync(victim);
  const before = reportTempDirs();
  const cases = [
    [{ path: `${RUN}/container/summary.json`, type: '0', body: '{}' }, { path: '../escaped.txt', type: '0', body: 'owned' }],
    [{ path: `${RUN}/container/summary.json`, type: '0', body: '{}' }, { path: `${victim}/absolute.txt`, type: '0', body: 'owned' }],
    [{ path: `${RUN}/README.txt`, type: '2', linkpath: '/etc/passwd' }],
    [{ path: `${RUN}/null`, type: '3' }],
    [{ path: `${RUN}/container_manifest.json`, type: '0', body: '{}' }, { path: `${RUN}/payload.sh`, type: '0', body: 'rm -rf /' }],
  ] as const;
  for (const [i, entries] of cases.entries()) {
    const archive = join(victim, `crafted-${i}.tar.gz`);
    writeFileSync(archive, craftTarGz(entries.map((entry) => ({ ...entry }))));
    await assert.rejects(extractArchiveSafely(archive), (error: Error) => /refusing .* nothing was extracted/.test(error.message));
  }
  assert.deepEqual(readdirSync(victim).sort(), cases.map((_, i) => `crafted-${i}.tar.gz`));
  assert.equal(existsSync(join(dir, 'escaped.txt')), false);
  assert.deepEqual(reportTempDirs(), before, 'no temporary directory was made or left');
});

test('an archive past the entry-count or unpacked-size limit is refused before anything is extracted', async () => {
  const archive = join(tempOutDir(), 'many.tar.gz');
  const logs = Array.from({ length: 30 }, (_, i) => ({ path: `${RUN}/container/workers/worker-${i}.log`, type: '0' as const, body: 'x'.repeat(1000) }));
  writeFileSync(archive, craftTarGz(logs));
  await assert.rejects(extractArchiveSafely(archive, { maxEntries: 10, maxUnpackedBytes: 1e9 }), /more than 10 entries/);
  await assert.rejects(extractArchiveSafely(archive, { maxEntries: 100, maxUnpackedBytes: 20_000 }), /more than 20000 bytes unpacked/);
  const dir = await extractArchiveSafely(archive, { maxEntries: 100, maxUnpackedBytes: 40_000 });
  assert.equal(readdirSync(join(dir, RUN, 'container', 'workers')).length, 30);
  rmSync(dir, { recursive: true });
});

test('an honest archive extracts into a fresh temporary directory', async () => {
  const archive = join(tempOutDir(), 'ok.tar.gz');
  writeFileSync(archive, craftTarGz([{ path: `${RUN}/`, type: '5' }, { path: `${RUN}/container/summary.json`, type: '0', body: '{"a":1}' }]));
  const dir = await extractArchiveSafely(archive);
  assert.match(dir, /oom-harness-report-/);
  assert.equal(readFileSync(join(dir, RUN, 'container', 'summary.json'), 'utf8'), '{"a":1}');
  rmSync(dir, { recursive: true });
});

function reportTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('oom-harness-report-')).sort();
}
