// One assertion about a finished run, with the figure it measured, for tables and JUnit.
import * as z from 'zod';

export const CheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  /** What was measured, in words and figures, whether it passed or not. */
  message: z.string(),
});
export type Check = z.infer<typeof CheckSchema>;

export function check(name: string, passed: boolean, message: string): Check {
  return { name, passed, message };
}

export function renderCheckTable(title: string, checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length), 10);
  const lines = [title, ...checks.map((c) => `  ${c.passed ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.message}`)];
  const failed = checks.filter((c) => !c.passed).length;
  lines.push(failed === 0 ? `  all ${checks.length} checks passed` : `  ${failed} of ${checks.length} checks failed`);
  return `${lines.join('\n')}\n`;
}
