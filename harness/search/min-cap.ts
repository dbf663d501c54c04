// The smallest cap at which a job completes, by bisection on the cap in geometric steps. Each cap is probed
// `repeat` times and passes only if every probe completes, so one lucky run does not count. Pure: the probes are
// the caller's.
export interface Probe {
  capBytes: number;
  verdict: string;
  kernelPeakMb: number | null;
  durationMs: number | null;
  bundle: string | null;
}

export interface MinCapRequest {
  fromBytes: number;
  toBytes: number;
  /** Stop when the bracket's upper end is within this share above its lower end (0.05: 5%). */
  tolerance: number;
  repeat: number;
  /** Rounds a cap to what the engine takes (whole MiB). */
  round?: (bytes: number) => number;
}

export type MinCapAnswer =
  | { kind: 'answer'; minSafeCapBytes: number; maxFailingCapBytes: number | null; probes: Probe[] }
  | { kind: 'oom-at-top'; probes: Probe[] }
  | { kind: 'other-failure'; failed: Probe; probes: Probe[] };

const MIB = 1024 * 1024;
const OOM = new Set(['cgroup-oom', 'heap-oom']);

export async function findMinCap(request: MinCapRequest, probe: (capBytes: number) => Promise<Probe>): Promise<MinCapAnswer> {
  const round = request.round ?? ((bytes: number) => Math.ceil(bytes / MIB) * MIB);
  const probes: Probe[] = [];
  /** 'pass', 'oom', or the probe that failed another way. */
  const judge = async (capBytes: number): Promise<'pass' | 'oom' | Probe> => {
    for (let i = 0; i < request.repeat; i += 1) {
      const result = await probe(capBytes);
      probes.push(result);
      if (OOM.has(result.verdict)) return 'oom';
      if (result.verdict !== 'completed') return result;
    }
    return 'pass';
  };
  const top = await judge(request.toBytes);
  if (top === 'oom') return { kind: 'oom-at-top', probes };
  if (top !== 'pass') return { kind: 'other-failure', failed: top, probes };
  const bottom = await judge(request.fromBytes);
  if (bottom === 'pass') return { kind: 'answer', minSafeCapBytes: request.fromBytes, maxFailingCapBytes: null, probes };
  if (bottom !== 'oom') return { kind: 'other-failure', failed: bottom, probes };
  let failing = request.fromBytes;
  let passing = request.toBytes;
  while (passing > failing * (1 + request.tolerance)) {
    const mid = round(Math.sqrt(failing * passing));
    if (mid <= failing || mid >= passing) break;
    const verdict = await judge(mid);
    if (verdict === 'pass') passing = mid;
    else if (verdict === 'oom') failing = mid;
    else return { kind: 'other-failure', failed: verdict, probes };
  }
  return { kind: 'answer', minSafeCapBytes: passing, maxFailingCapBytes: failing, probes };
}
