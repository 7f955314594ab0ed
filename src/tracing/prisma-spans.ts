import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { OperationTrace } from './graphql-spans.js';
import { inSpan, records } from './tracing.js';

/**
 * The client an operation's resolvers read through: for a sampled operation, one that puts each
 * Prisma call (a page of campaigns, an export job) in a span under the operation's current one,
 * named by its model and operation; for any other, Prisma's own client as it is, at no cost.
 * (Prisma's instrumentation finds its parent through a context manager, which the gateway has
 * none of: see tracing.ts.)
 */
export function tracedPrisma(prisma: PrismaClient, tracing: OperationTrace): PrismaClient {
  if (!records(tracing.context)) return prisma;
  // Extended on first use: $extends cost a sampled request some 50 µs, and most operations (a
  // report reads through its loaders) never touch this client.
  let extended: PrismaClient | undefined;
  const client = () =>
    (extended ??= prisma.$extends({
      query: {
        $allOperations: ({ model, operation, args, query }) =>
          inSpan(
            `prisma ${model ? `${model}.` : ''}${operation}`,
            { 'db.system.name': 'postgresql', 'db.operation.name': operation, ...(model ? { 'db.collection.name': model } : {}) },
            () => query(args),
            { parent: tracing.context },
          ),
      },
    }) as unknown as PrismaClient);
  return new Proxy(prisma, {
    get(_prisma, property) {
      const value: unknown = Reflect.get(client(), property);
      return typeof value === 'function' ? value.bind(client()) : value;
    },
  });
}
