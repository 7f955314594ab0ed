import { badUserInput } from '../server/errors.js';

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
