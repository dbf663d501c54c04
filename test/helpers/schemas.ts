// Validates artifacts against the JSON Schemas in a schemas/ directory (the repository's, or an installed package's),
// with a standard validator, so the shipped schemas and what the harness writes cannot drift apart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

export interface SchemaSet {
  /** Throws with every problem ajv found, naming the schema and the file. */
  check(schemaName: string, data: unknown, what: string): void;
  names: string[];
}

export function loadSchemas(dir: string): SchemaSet {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.schema.json')).sort()) {
    const name = file.replace(/\.schema\.json$/, '');
    ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object, name);
    names.push(name);
  }
  return {
    names,
    check(schemaName, data, what) {
      const validate = ajv.getSchema(schemaName);
      if (!validate) throw new Error(`no schema ${schemaName} in ${dir}`);
      if (!validate(data)) throw new Error(`${what} does not match ${schemaName}.schema.json: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    },
  };
}
