import type { Database } from './client.js';

/**
 * After a large import: fresh planner statistics, and a visibility map that lets the reports
 * answer from the covering indexes alone; the rollups also shed the old versions of their rows,
 * which every batch rewrote (after a 1,000,000-call import a month's trend read
 * 2,096 buffers of call_bucket instead of 13). Autovacuum would get there too, only later.
 */
export async function vacuumAnalyze(db: Database): Promise<void> {
  await flushAsyncCommits(db);
  await db.prisma.$executeRawUnsafe(
    'VACUUM (ANALYZE) call_attempt, lead, call_bucket, call_bucket_key, call_day, call_day_key, lead_bucket, lead_day, lead_progress, funnel_profile',
  );
}

/**
 * Import and ingest batches commit without waiting for their WAL to reach the disk, and until it
 * has, PostgreSQL does not mark their rows (nor those of transactions sharing a commit-log group of
 * 32 with them) as committed on the page, so a VACUUM would leave their pages not all-visible. A
 * transaction that writes WAL (here a message no one reads) and commits the normal way flushes the
 * WAL up to its commit.
 */
export async function flushAsyncCommits(db: Database): Promise<void> {
  await db.prisma.$queryRawUnsafe("SELECT pg_logical_emit_message(true, 'autocall', 'writes committed')::text");
}
