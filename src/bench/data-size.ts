import type { Database } from '../db/client.js';

/** The raw rows, and the rollups kept beside them (see src/import/rollups.ts). */
const RAW = ['call_attempt', 'lead'];
const ROLLUPS = ['call_bucket', 'call_bucket_key', 'call_bucket_talk', 'call_day', 'call_day_key', 'lead_bucket', 'lead_day', 'lead_progress', 'funnel_profile'];

/** Bytes per stored call: each raw table and its indexes, and the rollups together, from PostgreSQL's own sizes. */
export async function printBytesPerCall(db: Database, label: string): Promise<void> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string; heap: bigint; indexes: bigint }[]>(
    `SELECT c.relname AS name, pg_table_size(c.oid) AS heap, pg_indexes_size(c.oid) AS indexes
     FROM pg_class c WHERE c.relkind = 'r' AND c.relname = ANY($1::text[])`,
    [...RAW, ...ROLLUPS],
  );
  const [{ calls }] = (await db.prisma.$queryRawUnsafe<{ calls: bigint }[]>('SELECT count(*) AS calls FROM call_attempt')) as [{ calls: bigint }];
  const perCall = (bytes: number) => (bytes / Number(calls)).toFixed(0);
  const of = (names: string[]) => rows.filter((row) => names.includes(row.name));
  const sum = (list: typeof rows, part: 'heap' | 'indexes') => list.reduce((total, row) => total + Number(row[part]), 0);
  const parts = [
    ...RAW.map((name) => [name, of([name])] as const),
    ['rollups', of(ROLLUPS)] as const,
  ].map(([name, list]) => `${name} ${perCall(sum(list, 'heap'))} + indexes ${perCall(sum(list, 'indexes'))}`);
  const total = sum(rows, 'heap') + sum(rows, 'indexes');
  console.log(`database bytes per call, ${label} (${Number(calls).toLocaleString('en-US')} calls, ${(total / 2 ** 30).toFixed(2)} GiB): ${parts.join('; ')}; in all ${perCall(total)}`);
}
