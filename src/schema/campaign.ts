import { badUserInput } from '../errors.js';
import { builder } from './builder.js';
import { isCampaignId, parseCampaignId } from './ids.js';


/** The largest page of campaigns one request may ask for. */
const MAX_PAGE_SIZE = 100;

export interface DtmfActionShape {
  digit: string;
  label: string;
  action: string | null;
}

const DtmfAction = builder.objectRef<DtmfActionShape>('DtmfAction').implement({
  description: 'What the IVR script does when the callee presses a key.',
  fields: (t) => ({
    digit: t.exposeString('digit', { description: 'The key: "0"-"9", "*" or "#".' }),
    label: t.exposeString('label', { description: 'What the key means to the callee, e.g. "Đồng ý chuyển agent".' }),
    action: t.exposeString('action', { nullable: true, description: 'The IVR node it leads to, e.g. queue_sales.' }),
  }),
});

export const Campaign = builder.prismaObject('Campaign', {
  description: 'An outbound dialing campaign of the caller\'s tenant.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The campaign\'s integer id as a string, e.g. "5" (the id the REST API uses).' }),
    name: t.exposeString('name', { description: 'The campaign\'s name, e.g. "Renewal Q3".' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When dialing started; the default start of every report window.',
    }),
    firstCallAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the campaign\'s first call started; null before any call. With lastCallAt, the span a whole-campaign view shows.',
      resolve: async (campaign, _args, context) => (await context.loaders.callSpan.load(campaign.id))?.first ?? null,
    }),
    lastCallAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the campaign\'s latest call started; null before any call.',
      resolve: async (campaign, _args, context) => (await context.loaders.callSpan.load(campaign.id))?.last ?? null,
    }),
    dtmfActions: t.field({
      type: [DtmfAction],
      description: 'The IVR script\'s keys and what each does.',
      resolve: (campaign) => campaign.dtmfActions as unknown as DtmfActionShape[],
    }),
  }),
});

builder.queryFields((t) => ({
  campaign: t.field({
    type: Campaign,
    nullable: true,
    description: 'One campaign of the caller\'s tenant by id; null when it does not exist or belongs to another tenant.',
    args: { id: t.arg.id({ required: true, description: 'The campaign id, e.g. "5".' }) },
    // Through the request's loader: a prepared statement, batched with any other campaign the request reads.
    resolve: (_root, args, context) => context.loaders.campaign.load(parseCampaignId(args.id, 'id')),
  }),
  campaigns: t.prismaConnection(
    {
      type: 'Campaign',
      cursor: 'id',
      description: 'The caller\'s campaigns ordered by id, as a Relay connection.',
      args: {},
      defaultSize: 20,
      maxSize: MAX_PAGE_SIZE,
      resolve: (query, _root, args, context) => {
        // Pothos would quietly shorten a larger page; the caller should learn the limit instead.
        for (const name of ['first', 'last'] as const) {
          if ((args[name] ?? 0) > MAX_PAGE_SIZE) throw badUserInput(name, `must be at most ${MAX_PAGE_SIZE}`);
        }
        // Pothos decodes any well-formed cursor, also one whose id no campaign can have.
        const cursorArgument = args.after != null ? 'after' : 'before';
        if (query.cursor && !isCampaignId(query.cursor.id)) {
          throw badUserInput(cursorArgument, `is not a cursor of this connection: ${JSON.stringify(args[cursorArgument])}`);
        }
        return context.prisma.campaign.findMany({ ...query, where: { tenantId: context.viewer.tenantId }, orderBy: { id: 'asc' } });
      },
    },
    {
      name: 'CampaignConnection',
      description: 'A page of campaigns.',
      fields: (connection) => ({
        totalCount: connection.int({
          description: 'How many campaigns the caller has in all.',
          resolve: (_page, _args, context) => context.prisma.campaign.count({ where: { tenantId: context.viewer.tenantId } }),
        }),
      }),
    },
    { name: 'CampaignEdge', description: 'A campaign and its cursor.' },
  ),
}));
