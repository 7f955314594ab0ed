import type { Campaign } from '../db/generated/prisma/client.js';
import type { CampaignWindow } from '../data/report-queries.js';
import { InvalidArgumentError } from '../reports/errors.js';
import { resolveWindow } from '../reports/window.js';
import type { Context } from '../server/context.js';
import { apiError } from '../server/errors.js';
import { builder } from './builder.js';

/** Runs report argument handling, turning the caller's mistakes into BAD_USER_INPUT errors. */
export function checkedInput<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw apiError('BAD_USER_INPUT', error.message, { argumentName: error.argumentName });
    }
    throw error;
  }
}

export interface InstantWindowArgs {
  from?: Date | null;
  to?: Date | null;
}

/** [from, to) of a campaign's report: from defaults to the campaign's start, to to now. */
export function campaignWindow(campaign: Campaign, args: InstantWindowArgs, context: Context): CampaignWindow {
  const { from, to } = checkedInput(() => resolveWindow(args, campaign.startedAt, context.now));
  return { campaignId: campaign.id, from, to };
}

export const instantWindowArgs = builder.args((t) => ({
  from: t.field({
    type: 'DateTime',
    description: "Start of the window (included), compared with each call's start time. Default: the campaign's start.",
  }),
  to: t.field({ type: 'DateTime', description: 'End of the window (excluded). Default: now.' }),
}));

export const timezoneArgs = builder.args((t) => ({
  timezone: t.field({
    type: 'TimeZone',
    description: 'IANA time zone of local days and hours. Default: Asia/Ho_Chi_Minh.',
  }),
}));
