// JUnit XML, the shape GitHub Actions, GitLab and Jenkins read: one testcase per check, figures in the message.
import { dirname, resolve } from 'node:path';
import { HarnessError } from '../common/harness-error.js';
import { escapeXml } from '../common/xml-escape.js';
import { entryKind } from '../run-files/safe-fs.js';
import type { Check } from './check.js';

/** --junit names a file to write once the run is over: its directory must exist before anything starts. */
export function checkJunitTarget(junit: string): void {
  const dir = dirname(resolve(junit));
  if (entryKind(dir) !== 'directory') {
    throw new HarnessError('BAD_OPTION', `--junit: got ${JSON.stringify(junit)}, expected a file in an existing directory (${dir} is not one)`);
  }
}

export interface JunitSuite {
  name: string;
  timestamp: string;
  durationS: number;
  properties: Record<string, string>;
  checks: readonly Check[];
}

export function renderJunit(suite: JunitSuite): string {
  const failures = suite.checks.filter((c) => !c.passed).length;
  const a = escapeXml;
  const time = suite.durationS.toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${a(suite.name)}" tests="${suite.checks.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${a(suite.name)}" tests="${suite.checks.length}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${a(suite.timestamp)}">`,
    '    <properties>',
    ...Object.entries(suite.properties).map(([name, value]) => `      <property name="${a(name)}" value="${a(value)}"/>`),
    '    </properties>',
  ];
  for (const c of suite.checks) {
    const open = `    <testcase classname="${a(suite.name)}" name="${a(c.name)}" time="0"`;
    if (c.passed) {
      lines.push(`${open}>`, `      <system-out>${a(c.message)}</system-out>`, '    </testcase>');
    } else {
      lines.push(`${open}>`, `      <failure message="${a(c.message)}" type="AssertionError">${a(c.message)}</failure>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
