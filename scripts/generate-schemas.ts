// Writes schemas/<name>.schema.json for every artifact, from the zod schemas the harness reads and writes with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACT_SCHEMAS, jsonSchemaOf } from '../harness/api/artifact-schemas.js';
import { projectRoot } from '../harness/common/project-root.js';

const dir = join(projectRoot(), 'schemas');
mkdirSync(dir, { recursive: true });
for (const artifact of ARTIFACT_SCHEMAS) {
  writeFileSync(join(dir, `${artifact.name}.schema.json`), `${JSON.stringify(jsonSchemaOf(artifact), null, 2)}\n`);
}
process.stdout.write(`${ARTIFACT_SCHEMAS.length} schemas written to ${dir}\n`);
