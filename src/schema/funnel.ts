import type { buildFunnel } from '../reports/funnel.js';
import { builder } from './builder.js';
import { instantWindowArgs } from './report-args.js';

const FunnelStage = builder.objectRef<ReturnType<typeof buildFunnel>[number]>('FunnelStage').implement({
  description: 'One stage of the conversion funnel, counted in distinct leads.',
  fields: (t) => ({
    stage: t.exposeString('stage', {
      description: 'Imported lead, Dialed, Answered, Pressed valid DTMF, Transferred to agent or Agent disposed.',
    }),
    count: t.exposeInt('count', { description: 'Leads that reached this stage (and every stage before it).' }),
    dropRatePct: t.expose('dropRatePct', { type: 'Percentage', nullable: true, description: 'Share of the previous stage\'s leads lost here; null for the first stage.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  funnel: t.field({
    type: [FunnelStage],
    description: 'Six stages over distinct leads: each a subset of the one before, so counts never rise.',
    args: instantWindowArgs,
    resolve: (campaign, args, context) => context.reports.funnel(campaign, args),
  }),
}));
