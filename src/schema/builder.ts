import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import { PERMISSIONS } from '../auth/tokens.js';
import type { InstantInput } from '../reports/window.js';
import type { Context } from './context.js';
import { apiError } from '../errors.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { apiAccess: boolean; exportReport: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: InstantInput; Output: Date | string };
    Date: { Input: string; Output: string };
    TimeZone: { Input: string; Output: string };
    Percentage: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check scopes when a subscription starts, not only when each event resolves.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      apiAccess: context.viewer.permissions.has(PERMISSIONS.apiAccess),
      exportReport: context.viewer.permissions.has(PERMISSIONS.exportReport),
    }),
    unauthorizedError: (_parent, _context, info) =>
      apiError('FORBIDDEN', `Not allowed to read ${info.parentType.name}.${info.fieldName}: the token lacks the required permission`),
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    cursorType: 'String',
    clientMutationId: 'omit',
    pageInfoTypeOptions: { description: 'Where a page sits in a connection (Relay).' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'The cursor of the last item of this page; pass it as `after` for the next page.' },
    firstArgOptions: { description: 'Return at most this many items from the start (up to 100; default 20).' },
    afterArgOptions: { description: 'Return the items after this cursor.' },
    lastArgOptions: { description: 'Return at most this many items from the end (up to 100).' },
    beforeArgOptions: { description: 'Return the items before this cursor.' },
    cursorFieldOptions: { description: 'An opaque cursor for this item.' },
    nodeFieldOptions: { description: 'The item.' },
    edgesFieldOptions: { description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { description: 'Paging information for this page.' },
  },
});

builder.queryType({
  description: 'Reports of the AutoCall outbound dialer. Every field needs the autocall_api_access permission.',
  authScopes: { apiAccess: true },
});

builder.mutationType({
  description: 'Actions. Every field needs the autocall_api_access permission.',
  authScopes: { apiAccess: true },
});

builder.subscriptionType({
  description: 'Pushed updates, over graphql-ws or SSE. Every field needs the autocall_api_access permission.',
  authScopes: { apiAccess: true },
});
