import type { Database } from './client.js';

/**
 * After a large import: fresh planner statistics, and a visibility map that lets the reports
 * answer from the covering index alone. Autovacuum would get there too, only later.
 */
export async function vacuumAnalyze(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe('VACUUM (ANALYZE) call_attempt, lead');
}
