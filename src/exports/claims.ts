import type { PrismaClient } from '../db/generated/prisma/client.js';

/** How long a claim holds without renewal. A worker renews its claims three times as often. */
export const LEASE_SECONDS = 30;

/** Raised when another worker took over a job whose claim lapsed: this run must stop and keep quiet. */
export class ClaimLostError extends Error {
  constructor(jobId: string) {
    super(`export job ${jobId} is now run under another claim`);
  }
}

// A job runs under a claim taken by one conditional UPDATE, so when several instances resume the
// same job only one of them runs it. Times come from the database's clock, which all instances share.
const CLAIMABLE = `(status = 'queued' OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())))`;
const LEASE = `now() + make_interval(secs => ${LEASE_SECONDS})`;

/** Takes the job for `claimId` if it is queued, or running under a lapsed claim; false if it is not to be run. */
export async function claimJob(db: PrismaClient, jobId: string, claimId: string): Promise<boolean> {
  const claimed = await db.$executeRawUnsafe(
    `UPDATE export_job SET status = 'running', progress_pct = 0, error = NULL, claim_id = $2, lease_expires_at = ${LEASE}
     WHERE id = $1 AND ${CLAIMABLE}`,
    jobId,
    claimId,
  );
  return claimed === 1;
}

/** Extends the claim while the job runs; false once another claim has replaced it. */
export async function renewClaim(db: PrismaClient, jobId: string, claimId: string): Promise<boolean> {
  const renewed = await db.$executeRawUnsafe(
    `UPDATE export_job SET lease_expires_at = ${LEASE} WHERE id = $1 AND claim_id = $2 AND status = 'running'`,
    jobId,
    claimId,
  );
  return renewed === 1;
}

/** Hands a job this worker will not finish (it is shutting down) back to the queue, for any instance to take. */
export async function releaseClaim(db: PrismaClient, jobId: string, claimId: string): Promise<boolean> {
  const released = await db.$executeRawUnsafe(
    `UPDATE export_job SET status = 'queued', progress_pct = 0, claim_id = NULL, lease_expires_at = NULL
     WHERE id = $1 AND claim_id = $2 AND status = 'running'`,
    jobId,
    claimId,
  );
  return released === 1;
}

/** Jobs waiting for a worker: queued ones, and running ones whose worker stopped renewing, oldest first. */
export async function claimableJobIds(db: PrismaClient): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM export_job WHERE ${CLAIMABLE} ORDER BY created_at`);
  return rows.map((row) => row.id);
}
