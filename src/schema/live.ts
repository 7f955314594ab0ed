import type { Campaign as CampaignRow } from '../db/generated/prisma/client.js';
import { Repeater } from 'graphql-yoga';
import type { Context } from './context.js';
import { apiError } from '../errors.js';
import { builder } from './builder.js';
import { Campaign } from './campaign.js';
import { parseCampaignId } from './ids.js';

/** Pushes of one campaign are at least this far apart; changes in between fold into the next push. */
export const CAMPAIGN_PUSH_INTERVAL_MS = 1_000;

builder.prismaObjectFields(Campaign, (t) => ({
  dataUpdatedAt: t.expose('dataUpdatedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When data of this campaign (the campaign, its leads or calls) last changed; null before any.',
  }),
}));

builder.subscriptionFields((t) => ({
  campaignUpdated: t.field({
    type: Campaign,
    description:
      'The campaign at once, with whatever reports you select, then again after every committed change to its data ' +
      '(ingest or import), at most once a second. Subscribers with the same selection and variables share one computation.',
    args: { id: t.arg.id({ required: true, description: 'The campaign id, e.g. "5".' }) },
    subscribe: (_root, args, context) => followCampaign(context, parseCampaignId(args.id, 'id')),
    resolve: (campaign) => campaign,
  }),
}));

/**
 * The campaign now, then again after changes, at most once per CAMPAIGN_PUSH_INTERVAL_MS. A Repeater
 * rather than an async generator: an unsubscribe must end it at once, also while it waits.
 */
function followCampaign(context: Context, campaignId: number) {
  return new Repeater<CampaignRow>(async (push, stop) => {
    // Listen before reading, so a change committed between the read and the first push is not lost.
    const changes = context.exports.pubsub.subscribe('campaign', String(campaignId))[Symbol.asyncIterator]();
    let stopped = false;
    /** When the oldest change not yet pushed was committed; undefined: none is waiting. */
    let changedAt: number | undefined;
    let wake = () => {};
    const nextChange = () => new Promise<void>((resolve) => (wake = resolve));
    void stop.then(() => {
      stopped = true;
      wake();
    });
    // Drained apart from the pushes: a change that lands while a push is computed marks the next one.
    void (async () => {
      try {
        for (let next = await changes.next(); !next.done; next = await changes.next()) {
          changedAt = Math.min(changedAt ?? Infinity, next.value.committedAt);
          wake();
        }
      } finally {
        stop();
      }
    })().catch(() => {});
    try {
      const current = await context.loaders.campaign.load(campaignId);
      if (!current) throw apiError('NOT_FOUND', `Campaign "${campaignId}" not found`, { argumentName: 'id' });
      await push(current);
      let pushedAt = Date.now();
      while (!stopped) {
        if (changedAt === undefined) await nextChange();
        const due = pushedAt + CAMPAIGN_PUSH_INTERVAL_MS - Date.now();
        if (!stopped && due > 0) await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, due))]);
        if (stopped) break;
        const carried = changedAt!;
        changedAt = undefined;
        context.readAgain();
        const campaign = await context.loaders.campaign.load(campaignId);
        if (!campaign) break;
        pushedAt = Date.now();
        // Resolves once the push has been executed and handed on (the consumer asks for the next one).
        await push(campaign);
        context.observePush?.(Math.max(0, Date.now() - carried) / 1000);
      }
    } finally {
      await changes.return?.();
    }
  });
}
