import fs from 'node:fs';
import internals from '@prisma/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

// prisma migrate diff needs the schema engine, which cannot be installed here. Instead: what
// schema.prisma declares (its DMMF) must equal what the migrations build, table by table. Indexes
// are compared by their key columns: INCLUDE columns are a physical detail Prisma cannot declare.

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  Json: 'jsonb',
  'DateTime:Timestamptz': 'timestamp with time zone',
  DateTime: 'timestamp without time zone',
};

function declared(dmmf: Dmmf): string[] {
  const lines: string[] = [];
  const tableOf = new Map(dmmf.datamodel.models.map((model) => [model.name, model.dbName ?? model.name]));
  const enumOf = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  for (const e of dmmf.datamodel.enums) lines.push(`enum ${enumOf.get(e.name)} (${e.values.map((v) => v.dbName ?? v.name).join(', ')})`);
  for (const model of dmmf.datamodel.models) {
    const table = tableOf.get(model.name)!;
    const columnOf = new Map(model.fields.map((field) => [field.name, field.dbName ?? field.name]));
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (field.relationFromFields?.length) {
          const target = dmmf.datamodel.models.find((m) => m.name === field.type)!;
          const targetColumns = field.relationToFields!.map((name) => target.fields.find((f) => f.name === name)!.dbName ?? name);
          lines.push(`fk ${table}(${field.relationFromFields.map((f) => columnOf.get(f)).join(', ')}) -> ${tableOf.get(field.type)}(${targetColumns.join(', ')})`);
        }
        continue;
      }
      const base =
        field.kind === 'enum'
          ? enumOf.get(field.type)!
          : SCALAR_TYPES[field.nativeType ? `${field.type}:${field.nativeType[0]}` : field.type] ?? `unmapped ${field.type}`;
      const type = field.isList ? `${base}[]` : base;
      const nullable = field.isRequired && !field.isList ? 'not null' : 'null';
      const defaulted = field.default !== undefined ? ' default' : '';
      lines.push(`column ${table}.${columnOf.get(field.name)} ${type} ${nullable}${defaulted}`);
    }
  }
  for (const index of dmmf.datamodel.indexes) {
    const table = tableOf.get(index.model)!;
    const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
    const columns = index.fields.map((f) => model.fields.find((field) => field.name === f.name)!.dbName ?? f.name);
    const kind = index.type === 'id' ? 'primary key' : index.type === 'unique' ? 'unique' : 'index';
    const name = index.dbName ?? (index.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${index.type === 'unique' ? 'key' : 'idx'}`);
    lines.push(`${kind} ${name} on ${table}(${columns.join(', ')})`);
  }
  return lines.sort();
}

async function built(db: TestDatabase): Promise<string[]> {
  const session = await db.session();
  try {
    const q = <T>(sql: string) => session.rows<T>(sql);
    const lines: string[] = [];
    for (const row of await q<{ name: string; values: string }>(`
      SELECT t.typname AS name, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() GROUP BY t.typname`)) {
      lines.push(`enum ${row.name} (${row.values})`);
    }
    for (const row of await q<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; column_default: string | null }>(`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`)) {
      const type =
        row.data_type === 'USER-DEFINED' ? row.udt_name
        : row.data_type === 'ARRAY' ? `${SCALAR_TYPES[{ _text: 'String', _int4: 'Int' }[row.udt_name] ?? ''] ?? row.udt_name}[]`
        : row.data_type;
      lines.push(`column ${row.table_name}.${row.column_name} ${type} ${row.is_nullable === 'NO' ? 'not null' : 'null'}${row.column_default !== null ? ' default' : ''}`);
    }
    for (const row of await q<{ name: string; table_name: string; columns: string; is_primary: boolean; is_unique: boolean }>(`
      SELECT i.relname AS name, t.relname AS table_name, ix.indisprimary AS is_primary, ix.indisunique AS is_unique,
        (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE k.ord <= ix.indnkeyatts) AS columns
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`)) {
      const kind = row.is_primary ? 'primary key' : row.is_unique ? 'unique' : 'index';
      lines.push(`${kind} ${row.name} on ${row.table_name}(${row.columns})`);
    }
    for (const row of await q<{ source: string; target: string }>(`
      SELECT format('%s(%s)', c.conrelid::regclass, (SELECT string_agg(a.attname, ', ') FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k)) AS source,
             format('%s(%s)', c.confrelid::regclass, (SELECT string_agg(a.attname, ', ') FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k)) AS target
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`)) {
      lines.push(`fk ${row.source} -> ${row.target}`);
    }
    return lines.sort();
  } finally {
    await session.release();
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.dispose());

describe('prisma/migrations', () => {
  it('build exactly the tables, columns, enums, indexes and foreign keys that schema.prisma declares', async () => {
    const dmmf = await internals.getDMMF({ datamodel: fs.readFileSync('prisma/schema.prisma', 'utf8') });
    const expected = declared(dmmf);
    expect(expected.length).toBeGreaterThan(40);
    expect(await built(db)).toEqual(expected);
  });

  it('are recorded in _prisma_migrations as prisma migrate deploy records them, and run once', async () => {
    const session = await db.session();
    const rows = await session.rows<{ migration_name: string; applied_steps_count: number; finished: boolean }>(
      'SELECT migration_name, applied_steps_count, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await session.release();
    const names = fs.readdirSync('prisma/migrations').filter((name) => /^\d{14}_/.test(name)).sort();
    expect(rows).toEqual(names.map((migration_name) => ({ migration_name, applied_steps_count: 1, finished: true })));
    expect(await migrate(db)).toEqual([]);
  });
});
