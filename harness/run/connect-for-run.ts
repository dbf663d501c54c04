// The engine a run uses: opened, asked what it is, and swept of containers whose runner is gone, with the round
// trips made together, since start latency is what a CI run pays every time.
import type Docker from 'dockerode';
import { errorMessage } from '../common/harness-error.js';
import { describeEngine, openEngine, type EngineInfo } from '../container-runtime/docker-client.js';
import type { EngineEndpoint } from '../container-runtime/engine-endpoint.js';
import { sweepLeftoverContainers, type SweptContainer } from '../container-runtime/reaper.js';
import { currentRunner } from '../container-runtime/runner-identity.js';

export interface RunEngine {
  docker: Docker;
  endpoint: EngineEndpoint;
  engine: EngineInfo;
  swept: SweptContainer[];
  /** Why the sweep failed, for a warning; the run goes on. */
  sweepFailure: string | null;
}

/**
 * Throws ENGINE_UNAVAILABLE when no engine answers; a sweep that failed for the same reason is then not reported.
 * `ahead` runs while the engine's answers are on their way (the image tag's hashing, its lookup).
 */
export async function connectForRun<T>(ahead: (docker: Docker) => T): Promise<RunEngine & { ahead: T }> {
  const { docker, endpoint } = openEngine();
  const sweeping = sweepLeftoverContainers(docker, currentRunner()).then(
    (swept) => ({ swept, sweepFailure: null }),
    (error: unknown) => ({ swept: [], sweepFailure: `sweeping leftover containers failed: ${errorMessage(error)}` }),
  );
  const describing = describeEngine(docker, endpoint);
  // Awaited below; handled here too, so that an `ahead` that throws leaves no rejection unhandled.
  describing.catch(() => undefined);
  // The requests above are written to the engine only once the event loop turns; `ahead` reads files synchronously.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const asked = ahead(docker);
  const engine = await describing;
  return { docker, endpoint, engine, ...(await sweeping), ahead: asked };
}
