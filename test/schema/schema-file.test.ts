import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaFile, SCHEMA_FILE } from '../../src/schema/print.js';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema` after changing it)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile());
  });

  it('describes every type, field and argument', () => {
    const undocumented = printSchemaFile()
      .split('\n')
      .map((line, index, lines) => ({ line: line.trim(), before: lines[index - 1]?.trim() ?? '' }))
      .filter(({ line, before }) => /^(type|scalar|enum|input|interface|union) |^\w+(\(|:)/.test(line) && !before.endsWith('"""'))
      .map(({ line }) => line);
    expect(undocumented).toEqual([]);
  });
});
