import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a download link is valid; renewExportLink hands out another while the file is kept. */
export const DOWNLOAD_TTL_SECONDS = 3600;

/** How long a READY job's file is kept after it was written. */
export const FILE_KEPT_SECONDS = 24 * 3600;

/** HMAC-SHA256 over the job id and the link's expiry (epoch seconds), base64url. */
export function signDownload(key: Uint8Array, jobId: string, expires: number): string {
  return createHmac('sha256', key).update(`export-download:${jobId}:${expires}`).digest('base64url');
}

/** True only for an untampered signature whose expiry has not passed. */
export function verifyDownload(key: Uint8Array, jobId: string, expires: string | null, signature: string | null, now = Date.now()): boolean {
  if (!expires || !signature || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= now) return false;
  const expected = Buffer.from(signDownload(key, jobId, Number(expires)));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
