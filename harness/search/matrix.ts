// A matrix of inputs × caps, run several at a time while the caps of the runs in flight add up to no more than a
// budget (the host's available memory less a margin): a harness must not cause the OOM it studies. Pure: the runs
// are the caller's.
export interface Cell {
  input: string;
  capBytes: number;
}

export interface CellResult extends Cell {
  verdict: string;
  exitCode: number;
  kernelPeakMb: number | null;
  bundle: string | null;
  startedAt: string;
  finishedAt: string;
}

export interface MatrixRequest {
  cells: readonly Cell[];
  parallel: number;
  budgetBytes: number;
}

/** Runs every cell; a cell starts only when a slot is free and its cap fits the budget left. Results in cell order. */
export async function runMatrix(request: MatrixRequest, run: (cell: Cell) => Promise<Omit<CellResult, keyof Cell>>): Promise<CellResult[]> {
  const results: CellResult[] = new Array(request.cells.length);
  const pending = request.cells.map((cell, index) => ({ cell, index }));
  let inFlightBytes = 0;
  let inFlight = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (pending.length === 0 && inFlight === 0) return resolve(results);
      // Largest first among those that fit; one cell alone always runs, even above the budget (it was asked for).
      while (inFlight < request.parallel && pending.length > 0) {
        const fits = pending.findIndex(({ cell }) => inFlight === 0 || inFlightBytes + cell.capBytes <= request.budgetBytes);
        if (fits === -1) break;
        const [{ cell, index }] = pending.splice(fits, 1) as [{ cell: Cell; index: number }];
        inFlight += 1;
        inFlightBytes += cell.capBytes;
        run(cell)
          .then((result) => {
            results[index] = { ...cell, ...result };
            inFlight -= 1;
            inFlightBytes -= cell.capBytes;
            pump();
          })
          .catch(reject);
      }
    };
    pump();
  });
}

export function matrixExitCode(results: readonly CellResult[]): number {
  if (results.every((result) => result.verdict === 'completed')) return 0;
  return results.some((result) => result.verdict === 'cgroup-oom' || result.verdict === 'heap-oom') ? 3 : 4;
}
