import { badUserInput } from '../errors.js';

/** Campaign ids are the dialer's positive integers, exposed as ID strings such as "5". */
export function parseCampaignId(value: string | number, argumentName: string): number {
  const text = String(value);
  if (!isCampaignId(text)) {
    throw badUserInput(argumentName, `must be a campaign id such as "5", got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** A positive int4, as text or number. */
export function isCampaignId(value: unknown): boolean {
  const text = String(value);
  return /^[1-9]\d{0,9}$/.test(text) && Number(text) <= 2_147_483_647;
}

/** Longer than any job id this gateway hands out (export_ and 8 hex digits) by far. */
const MAX_JOB_ID_LENGTH = 100;

/**
 * An export job id as text. Any text may name a job, so one that names none is simply not found;
 * but text PostgreSQL cannot hold (a NUL character) or absurdly long text is the caller's mistake.
 */
export function parseJobId(value: string | number, argumentName: string): string {
  const text = String(value);
  if (text.includes('\u0000') || text.length > MAX_JOB_ID_LENGTH) {
    throw badUserInput(argumentName, `must be an export job id such as "export_a7b3c5d2", got ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '…' : ''}`);
  }
  return text;
}
