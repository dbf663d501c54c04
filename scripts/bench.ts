// npm run bench: the harness measured against bare pdf-parse and against the kernel, side by side in one run.
// Writes bench/results.json and prints a table. Never part of npm test. Method of each figure is next to it.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const CLI = join(ROOT, 'dist', 'bundled', 'harness', 'oom-harness.js');
const RUN = join(ROOT, 'dist', 'bundled', 'harness', 'run-in-docker.js');
const BARE = join(ROOT, 'dist', 'scripts', 'bare-extract.js');
const FLOOR = join(ROOT, 'dist', 'scripts', 'engine-floor.js');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const SOURCE_PDF = process.env.BENCH_SOURCE_PDF ?? '/usr/share/doc/libtasn1-doc/libtasn1.pdf';

interface Stat {
  min: number;
  median: number;
  runs: number[];
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: round(sorted[0]!), median: round(median), runs: values.map((value) => round(value)) };
}

function round(value: number, digits = 3): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A real manual concatenated to ~400 and ~4000 pages when pdfunite (Debian's poppler-utils) and the manual (libtasn1-doc)
 * are here; generated text otherwise.
 */
function prepareDocuments(dir: string): { small: string; large: string; source: string } {
  const small = join(dir, 'small.pdf');
  const large = join(dir, 'large.pdf');
  if (hasCommand('pdfunite') && existsSync(SOURCE_PDF)) {
    const pages = JSON.parse(execFileSync(process.execPath, [BARE, SOURCE_PDF], { encoding: 'utf8' })).pages as number;
    const copies = Math.max(1, Math.round(400 / pages));
    execFileSync('pdfunite', [...Array(copies).fill(SOURCE_PDF), small], { stdio: 'ignore' });
    execFileSync('pdfunite', [...Array(10).fill(small), large], { stdio: 'ignore' });
    return { small, large, source: `pdfunite of ${SOURCE_PDF} (${pages} pages) x${copies}, and that x10` };
  }
  const make = join(ROOT, 'dist', 'scripts', 'make-pdf.js');
  execFileSync(process.execPath, [make, '--pages', '400', '--chars', '2500', '--out', small]);
  execFileSync(process.execPath, [make, '--pages', '4000', '--chars', '2500', '--out', large]);
  return { small, large, source: 'scripts/make-pdf, 2,500 characters a page (pdfunite or the source manual not found)' };
}

/**
 * Bare pdf-parse: one host process, unpinned, with every core of the machine, as the harness's container has.
 * nodePush: loaded as the workers load it, with Node's own Array.prototype.push in place of core-js's.
 */
function bare(pdf: string, nodePush = false): { ms: number; maxrssMb: number; pages: number } {
  const started = performance.now();
  const out = JSON.parse(execFileSync(process.execPath, [BARE, pdf, ...(nodePush ? ['--node-push'] : [])], { encoding: 'utf8' }));
  return { ms: performance.now() - started, maxrssMb: out.maxrss_mb, pages: out.pages };
}

/**
 * The engine floor beside a harness run (scripts/engine-floor.ts): command start to the container's first line of JS,
 * its wall, and the wall of `node -e 0` just after; null, with the reason logged, when it failed.
 */
function floor(runDir: string, dir: string): { firstJsMs: number; wallMs: number; nodeMs: number } | null {
  const startedWall = Date.now();
  const started = performance.now();
  let out: { first_js_epoch_ms: number };
  try {
    out = JSON.parse(execFileSync(process.execPath, [FLOOR, runDir, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    log(`engine floor failed: ${String((error as { stderr?: string }).stderr ?? error).trim()}`);
    return null;
  }
  const wallMs = performance.now() - started;
  const nodeStarted = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return { firstJsMs: out.first_js_epoch_ms - startedWall, wallMs, nodeMs: performance.now() - nodeStarted };
}

/** n bare pdf-parse processes at once, each on the whole document: the wall time until the last one ends. */
async function bareTogether(pdf: string, n: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [BARE, pdf], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', () => resolve());
    })),
  );
  return performance.now() - started;
}

/** The machine's 1-minute load average: other work on the machine, recorded with each measurement. */
function load(): number {
  return round(loadavg()[0]!, 2);
}

interface HarnessRun {
  wallMs: number;
  startLatencyMs: number | null;
  workerHwmMb: number;
  runDir: string;
  summary: any;
}

function harness(bin: string, args: string[], outDir: string): HarnessRun {
  const startedWall = Date.now();
  const started = performance.now();
  let stdout = '';
  try {
    stdout = execFileSync(process.execPath, [bin, ...args, '--json', '--out', outDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    stdout = String((error as { stdout?: string }).stdout ?? '');
  }
  const wallMs = performance.now() - started;
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  const summary = JSON.parse(readFileSync(join(result.run_dir, 'container', 'summary.json'), 'utf8'));
  const rows = readFileSync(join(result.run_dir, 'container', 'memory_log.csv'), 'utf8').trim().split('\n');
  const first = rows[1]?.split(',')[0];
  return {
    wallMs,
    startLatencyMs: first ? Date.parse(first) - startedWall : null,
    workerHwmMb: Math.max(0, ...summary.workers.map((w: { peak_hwm_mb: number | null }) => w.peak_hwm_mb ?? 0)),
    runDir: result.run_dir,
    summary,
  };
}

function memoryRows(runDir: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(join(runDir, 'container', 'memory_log.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value])));
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'oom-harness-bench-'));
  const out = join(tmp, 'runs');
  mkdirSync(out);
  const floorDir = join(tmp, 'floor');
  mkdirSync(floorDir, { mode: 0o777 });
  chmodSync(floorDir, 0o777);
  const busy: ReturnType<typeof spawn>[] = [];
  try {
    log('building the runtime image if needed');
    execFileSync(process.execPath, [CLI, 'build-image'], { stdio: 'ignore' });
    const docs = prepareDocuments(tmp);
    log(`documents: ${docs.source}`);
    const loads: number[] = [load()];

    // 1, 2, 6. Overhead, fixed cost, bounded memory and start latency: bare and harness interleaved, so both see the
    // same noise; each ratio is taken within one rep.
    const perDoc: Record<string, any> = {};
    const floorFirstJs: number[] = [];
    const floorWall: number[] = [];
    const floorEngine: number[] = [];
    const aboveFloor: number[] = [];
    for (const [name, pdf] of [['small', docs.small], ['large', docs.large]] as const) {
      const bareMs: number[] = [];
      const bareRss: number[] = [];
      const nodePushMs: number[] = [];
      const harnessMs: number[] = [];
      const hwm: number[] = [];
      const latency: number[] = [];
      const repLoads: number[] = [];
      let pages = 0;
      for (let rep = 0; rep < REPS; rep += 1) {
        const b = bare(pdf);
        pages = b.pages;
        bareMs.push(b.ms);
        bareRss.push(b.maxrssMb);
        nodePushMs.push(bare(pdf, true).ms);
        const h = harness(RUN, [pdf, '2g', '--quiet'], out);
        harnessMs.push(h.wallMs);
        hwm.push(h.workerHwmMb);
        if (h.startLatencyMs !== null) latency.push(h.startLatencyMs);
        const f = name === 'small' ? floor(h.runDir, floorDir) : null;
        if (f) {
          floorFirstJs.push(f.firstJsMs);
          floorWall.push(f.wallMs);
          floorEngine.push(f.wallMs - f.nodeMs);
          aboveFloor.push(h.wallMs - b.ms - floorEngine.at(-1)!);
        }
        repLoads.push(load());
        log(`${name} rep ${rep + 1}: bare ${Math.round(b.ms)} ms (Node's push ${Math.round(nodePushMs.at(-1)!)} ms), harness ${Math.round(h.wallMs)} ms, worker peak ${h.workerHwmMb} MiB, load ${repLoads.at(-1)}`);
      }
      loads.push(...repLoads);
      perDoc[name] = {
        pages,
        bare_ms: stat(bareMs),
        bare_maxrss_mb: stat(bareRss),
        harness_ms: stat(harnessMs),
        overhead_ratio: stat(harnessMs.map((ms, i) => ms / bareMs[i]!)),
        fixed_cost_ms: stat(harnessMs.map((ms, i) => ms - bareMs[i]!)),
        bare_node_push_ms: stat(nodePushMs),
        overhead_ratio_vs_node_push: stat(harnessMs.map((ms, i) => ms / nodePushMs[i]!)),
        fixed_cost_vs_node_push_ms: stat(harnessMs.map((ms, i) => ms - nodePushMs[i]!)),
        worker_peak_hwm_mb: stat(hwm),
        start_latency_ms: stat(latency),
        load_1min: repLoads,
      };
    }

    // 7. Throughput: two workers on the large document at defaults (no CPU quota: both cores), against bare.
    const twoWorkers: number[] = [];
    const twoWorkersVsNodePush: number[] = [];
    const autoWorkers: number[] = [];
    const autoChose: number[] = [];
    const twoLoads: number[] = [];
    for (let rep = 0; rep < Math.max(1, REPS - 1); rep += 1) {
      const b = bare(docs.large);
      const nodePush = bare(docs.large, true);
      const h = harness(RUN, [docs.large, '2g', '--quiet', '--workers', '2'], out);
      twoWorkers.push(h.wallMs / b.ms);
      twoWorkersVsNodePush.push(h.wallMs / nodePush.ms);
      // --workers auto against the same bare run: one worker, then as many as the cap and the CPUs allow.
      const a = harness(RUN, [docs.large, '2g', '--quiet', '--workers', 'auto'], out);
      autoWorkers.push(a.wallMs / b.ms);
      autoChose.push(JSON.parse(readFileSync(join(a.runDir, 'container', 'ingest_manifest.json'), 'utf8')).auto_workers?.highest ?? 0);
      twoLoads.push(load());
      log(`throughput: bare ${Math.round(b.ms)} ms (Node's push ${Math.round(nodePush.ms)} ms), 2 workers ${Math.round(h.wallMs)} ms, auto (${autoChose.at(-1)}) ${Math.round(a.wallMs)} ms, load ${twoLoads.at(-1)}`);
    }
    loads.push(...twoLoads);
    // What two cores give two processes here: two bare pdf-parse runs at once against one alone. With the work split
    // perfectly in two, --workers 2 could at best take (two at once / one alone) / 2 of bare's time.
    const ceiling: number[] = [];
    for (let rep = 0; rep < REPS; rep += 1) {
      const one = bare(docs.small).ms;
      const two = await bareTogether(docs.small, 2);
      ceiling.push(two / one / 2);
      log(`two bare processes at once: ${Math.round(two)} ms against ${Math.round(one)} ms alone`);
    }
    const throughput = {
      workers_2_wall_vs_bare: stat(twoWorkers),
      workers_2_wall_vs_node_push_bare: stat(twoWorkersVsNodePush),
      workers_auto_wall_vs_bare: stat(autoWorkers),
      workers_auto_chose: autoChose,
      best_possible_two_way: stat(ceiling),
      load_1min: twoLoads,
    };

    // 3. Fidelity: a steady ramp to 80% of a 512m cap; sampled peak against the kernel's high-water mark, like for like.
    const cgroupRatio: number[] = [];
    const workerRatio: number[] = [];
    for (let rep = 0; rep < REPS; rep += 1) {
      const h = harness(CLI, ['probe', '512m', '--target-mb', '350', '--step-mb', '10', '--step-ms', '50', '--hold-ms', '1000', '--quiet'], out);
      const rows = memoryRows(h.runDir);
      const sampledCgroup = Math.max(...rows.map((r) => Number(r.cgroup_usage_mb)));
      const workerRows = rows.filter((r) => r.role === 'worker');
      const sampledWorker = Math.max(...workerRows.map((r) => Number(r.rss_mb)));
      const workerHwm = Math.max(...workerRows.map((r) => Number(r.hwm_mb)));
      cgroupRatio.push(sampledCgroup / h.summary.kernel_peak_mb);
      workerRatio.push(sampledWorker / workerHwm);
      log(`fidelity rep ${rep + 1}: cgroup ${sampledCgroup}/${h.summary.kernel_peak_mb} MiB, worker ${sampledWorker}/${workerHwm} MiB`);
    }

    // 4, 5. Timing and sampler cost: a 30 s run at 200 ms with the other core kept busy by a spinning process.
    busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    const timed = harness(CLI, ['probe', '256m', '--target-mb', '10', '--hold-ms', '30000', '--quiet'], out);
    for (const child of busy.splice(0)) child.kill('SIGKILL');
    const elapsed = memoryRows(timed.runDir)
      .filter((r) => r.role === 'supervisor')
      .map((r) => Number(r.elapsed_ms));
    const scheduled = elapsed.slice(0, -1); // the last row is the final out-of-schedule sample
    const deviations = scheduled.slice(1).map((value, i) => value - scheduled[i]! - 200);
    const lastDrift = scheduled.at(-1)! - 200 * Math.round(scheduled.at(-1)! / 200);
    const timing = {
      samples: scheduled.length,
      interval_deviation_p50_ms: round(percentile(deviations, 50), 2),
      interval_deviation_p99_ms: round(percentile(deviations, 99), 2),
      last_sample_drift_ms: round(lastDrift, 2),
      skipped_ticks: timed.summary.skipped_ticks,
      sampler_cpu_share_of_core: timed.summary.sampler_cpu_share,
      supervisor_cpu_share_of_core: timed.summary.supervisor_cpu_share,
    };

    loads.push(load());
    const results = {
      schema: 'oom-harness/bench@1',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, memory_gib: round(totalmem() / 1024 ** 3, 1), kernel: release(), node: process.version },
      cpus: `both sides get every core of the machine (${cpus().length}): the harness at its default of no CPU quota (the container's nano_cpus is 0, as with docker run), bare pdf-parse as one unpinned host process`,
      load_1min: { min: Math.min(...loads), max: Math.max(...loads), note: 'the machine is shared: other work runs beside the bench; ratios are taken within one rep, side by side' },
      documents: docs.source,
      reps: REPS,
      overhead: {
        method: 'wall time of run-in-docker <pdf> 2g at defaults (image built, mock sink, 1 worker, no CPU quota) / bare pdf-parse getText() of the whole document in one host process; fixed cost = harness wall - bare wall; interleaved per rep. The workers load pdf-parse with Node\'s own Array.prototype.push in place of the one core-js installs on V8 12.1 and older: *_node_push figures compare with bare pdf-parse loaded the same way (bare_node_push_ms), like for like',
        small: perDoc.small,
        large: perDoc.large,
      },
      bounded_memory: {
        method: "worker peak VmHWM on the large document / the same on the small one, default options",
        ratio: round(perDoc.large.worker_peak_hwm_mb.median / perDoc.small.worker_peak_hwm_mb.median),
        bare_ratio: round(perDoc.large.bare_maxrss_mb.median / perDoc.small.bare_maxrss_mb.median),
      },
      fidelity: {
        method: 'probe 512m ramping 10 MiB / 50 ms to 350 MiB (about 80% of the cap with the runtime); highest sampled cgroup usage / cgroup high-water mark, and highest sampled worker RSS / its VmHWM',
        cgroup: stat(cgroupRatio),
        worker: stat(workerRatio),
      },
      timing: { method: '30 s probe at 200 ms, the other core spinning; deviation of each interval from 200 ms; sampler CPU = the CPU time (user + system) of the sampler\'s scheduled ticks, from its first sample to its last, over that wall time; supervisor CPU = the whole supervisor process over the same span once it has loaded (sampling, GC, timers, the workload coordinator)', ...timing, load_1min: load() },
      start_latency_ms: { method: 'command start to the first memory_log.csv row, image cached', small: perDoc.small.start_latency_ms },
      engine_floor: floorWall.length === 0 ? null : {
        method: "scripts/engine-floor.ts after each harness run on the small document: a Node script with no client library asks that run's engine's API to create a container of the run's image with the limits and hardening its container_manifest.json says were applied (the harness's containerSpec), start it, wait for it and remove it; the container's Node writes the time as its first line. first_js = command start to that line, measured as start latency is (the least a Node command reaches before its container runs JavaScript); wall = the script's wall; engine = wall minus the wall of `node -e 0` run just after (what the engine's round and the container's Node add to any run); fixed_cost_above_floor = harness - bare (pdf-parse as installed) - engine, in the same rep: the harness's own share of the fixed cost, which includes its worker's Node start in the container",
        first_js_ms: stat(floorFirstJs),
        wall_ms: stat(floorWall),
        engine_ms: stat(floorEngine),
        fixed_cost_above_floor_ms: stat(aboveFloor),
      },
      throughput: {
        method: 'large document, --workers 2 and --workers auto at defaults (no CPU quota), each against the same bare run; harness wall / bare wall (below 1 is faster than bare); workers_2_wall_vs_node_push_bare: against bare with Node\'s push, in the same rep; workers_auto_chose: the most workers auto allowed at once in each rep. best_possible_two_way: two bare pdf-parse processes at once on the small document, wall / one alone / 2: what a perfect split in two could reach on this machine',
        ...throughput,
      },
      bench_seconds: round((performance.now() - benchStarted) / 1000, 1),
    };
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(table(results));
  } finally {
    for (const child of busy) child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

function table(r: any): string {
  const row = (figure: string, value: string, goal: string, met: boolean | null) => `| ${figure} | ${value} | ${goal} | ${met === null ? '' : met ? 'met' : 'missed'} |`;
  const o = r.overhead;
  const lines = [
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gib} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}; ${r.date.slice(0, 10)}; ${r.reps} reps (min / median)`,
    `Documents: ${r.documents}; ${o.small.pages} and ${o.large.pages} pages`,
    `CPUs: ${r.cpus}; machine load (1 min) ${r.load_1min.min}-${r.load_1min.max}`,
    '',
    '| figure | measured | goal | |',
    '|---|---|---|---|',
    row(`overhead, ${o.large.pages} pages (harness / bare wall)`, `${o.large.overhead_ratio.min} / ${o.large.overhead_ratio.median} (bare ${o.large.bare_ms.median} ms, harness ${o.large.harness_ms.median} ms)`, '≤ 1.10', o.large.overhead_ratio.median <= 1.1),
    row(`  like for like: against bare with Node's push`, `${o.large.overhead_ratio_vs_node_push.min} / ${o.large.overhead_ratio_vs_node_push.median} (bare ${o.large.bare_node_push_ms.median} ms)`, '≤ 1.10', o.large.overhead_ratio_vs_node_push.median <= 1.1),
    row(`fixed cost, ${o.small.pages} pages (harness - bare wall)`, `${o.small.fixed_cost_ms.min} / ${o.small.fixed_cost_ms.median} ms (ratio ${o.small.overhead_ratio.median})`, '≤ 500 ms', o.small.fixed_cost_ms.median <= 500),
    row(`  like for like: against bare with Node's push`, `${o.small.fixed_cost_vs_node_push_ms.min} / ${o.small.fixed_cost_vs_node_push_ms.median} ms (bare ${o.small.bare_node_push_ms.median} ms)`, '≤ 500 ms', o.small.fixed_cost_vs_node_push_ms.median <= 500),
    row(`  fixed cost above the engine's own (${r.engine_floor?.engine_ms.median ?? '-'} ms)`, r.engine_floor ? `${r.engine_floor.fixed_cost_above_floor_ms.min} / ${r.engine_floor.fixed_cost_above_floor_ms.median} ms` : 'the engine floor failed', 'none (a share)', null),
    row(
      `throughput, ${o.large.pages} pages, --workers 2 (harness / bare wall)`,
      `${r.throughput.workers_2_wall_vs_bare.min} / ${r.throughput.workers_2_wall_vs_bare.median} (a perfect split in two on this machine: ${r.throughput.best_possible_two_way.median})`,
      '≤ 0.60',
      r.throughput.workers_2_wall_vs_bare.median <= 0.6,
    ),
    row(`  like for like: against bare with Node's push`, `${r.throughput.workers_2_wall_vs_node_push_bare.min} / ${r.throughput.workers_2_wall_vs_node_push_bare.median}`, '≤ 0.60', r.throughput.workers_2_wall_vs_node_push_bare.median <= 0.6),
    row(
      `throughput, ${o.large.pages} pages, --workers auto (harness / bare wall)`,
      `${r.throughput.workers_auto_wall_vs_bare.min} / ${r.throughput.workers_auto_wall_vs_bare.median} (allowed at most ${r.throughput.workers_auto_chose.join(', ')} at once)`,
      'none (not a goal)',
      null,
    ),
    row('bounded memory (worker peak VmHWM, large / small)', `${r.bounded_memory.ratio} (${o.large.worker_peak_hwm_mb.median} / ${o.small.worker_peak_hwm_mb.median} MiB; bare pdf-parse ${r.bounded_memory.bare_ratio})`, '≤ 1.20', r.bounded_memory.ratio <= 1.2),
    row('start latency (command to first memory_log row)', `${r.start_latency_ms.small.min} / ${r.start_latency_ms.small.median} ms`, '≤ 400 ms', r.start_latency_ms.small.median <= 400),
    row('  the engine floor: a bare Node script to its container\'s first line of JS', r.engine_floor ? `${r.engine_floor.first_js_ms.min} / ${r.engine_floor.first_js_ms.median} ms` : 'failed', 'none (a floor)', null),
    row('sampler CPU, share of one core', `${round(r.timing.sampler_cpu_share_of_core * 100, 2)}% (the whole supervisor process: ${round(r.timing.supervisor_cpu_share_of_core * 100, 2)}%)`, '≤ 1%', r.timing.sampler_cpu_share_of_core <= 0.01),
    row('fidelity, cgroup (sampled / high-water mark)', `${r.fidelity.cgroup.min} / ${r.fidelity.cgroup.median}`, '≥ 0.99', r.fidelity.cgroup.min >= 0.99),
    row('fidelity, worker (sampled RSS / VmHWM)', `${r.fidelity.worker.min} / ${r.fidelity.worker.median}`, '≥ 0.99', r.fidelity.worker.min >= 0.99),
    row('interval deviation p50 / p99', `${r.timing.interval_deviation_p50_ms} / ${r.timing.interval_deviation_p99_ms} ms (${r.timing.samples} samples)`, 'p99 ≤ 5 ms', r.timing.interval_deviation_p99_ms <= 5),
    row('drift of the last sample', `${r.timing.last_sample_drift_ms} ms, ${r.timing.skipped_ticks} skipped`, 'none', Math.abs(r.timing.last_sample_drift_ms) <= 5),
    '',
    `bench took ${r.bench_seconds} s`,
  ];
  return `${lines.join('\n')}\n`;
}

await main();
