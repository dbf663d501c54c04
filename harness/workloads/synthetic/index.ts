// The synthetic workload (`probe`, `simulate-pressure`): memory grown on a schedule, ending on purpose. The workers'
// side is worker-entry.ts.
import type { Workload } from '../contract/workload.js';
import { coordinateSynthetic } from './coordinator.js';
import { SyntheticSpecSchema, type SyntheticSpec } from './spec.js';

export const syntheticWorkload: Workload<SyntheticSpec> = {
  kind: 'synthetic',
  specSchema: SyntheticSpecSchema,
  coordinate: coordinateSynthetic,
};
