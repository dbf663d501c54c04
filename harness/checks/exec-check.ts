// exec's one assertion, for JUnit: the command completed under the cap, with the verdict and the peak as evidence.
import { bytesToMiB } from '../common/byte-size.js';
import type { ContainerManifest } from '../run-files/container-manifest.js';
import type { Summary } from '../run-files/summary.js';
import { check, type Check } from './check.js';

export function execCheck(manifest: Pick<ContainerManifest, 'verdict' | 'verdict_reason' | 'cap_bytes' | 'cap_given'>, summary: Pick<Summary, 'kernel_peak_mb'> | null): Check {
  const peak = summary?.kernel_peak_mb ?? null;
  const figures = `kernel peak ${peak === null ? 'n/a' : `${peak} MiB`} of a ${bytesToMiB(manifest.cap_bytes)} MiB cap`;
  return check(`the command completed under the ${manifest.cap_given} cap`, manifest.verdict === 'completed', `verdict ${manifest.verdict}: ${manifest.verdict_reason}; ${figures}`);
}
