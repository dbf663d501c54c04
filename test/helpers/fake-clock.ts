// A clock the test moves by hand, for the sampler's schedule and its PSS budget.
import type { Clock } from '../../harness/common/clock.js';

export class FakeClock implements Clock {
  nowMs = 1000;
  wallStart = Date.parse('2026-11-24T10:00:00Z');
  monotonicMs(): number {
    return this.nowMs;
  }
  wallMs(): number {
    return this.wallStart + this.nowMs;
  }
}
