// The JSON Schemas in schemas/ are generated from the zod schemas the harness reads and writes with: they must be
// current, valid for a standard validator, and as strict as the readers (a wrong type or missing field fails).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACT_SCHEMAS, jsonSchemaOf } from '../../harness/api/artifact-schemas.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { loadSchemas } from '../helpers/schemas.js';

test('schemas/ holds one current JSON Schema per artifact (run: node dist/scripts/generate-schemas.js)', () => {
  for (const artifact of ARTIFACT_SCHEMAS) {
    const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', `${artifact.name}.schema.json`), 'utf8')) as unknown;
    assert.deepEqual(shipped, jsonSchemaOf(artifact), `schemas/${artifact.name}.schema.json is out of date`);
  }
  assert.deepEqual(loadSchemas(join(REPO_ROOT, 'schemas')).names, ARTIFACT_SCHEMAS.map((a) => a.name).sort());
});

test('the error schema accepts the CLI error object and refuses one with a missing code or a text exit code', () => {
  const schemas = loadSchemas(join(REPO_ROOT, 'schemas'));
  schemas.check('error', { error: { code: 'BAD_OPTION', message: 'cap: got "x"', hint: null }, exit_code: 2 }, 'an error object');
  assert.throws(() => schemas.check('error', { error: { message: 'm', hint: null }, exit_code: 2 }, 'no code'), /must have required property 'code'/);
  assert.throws(() => schemas.check('error', { error: { code: 'X', message: 'm', hint: null }, exit_code: '2' }, 'text exit code'), /must be integer/);
});
