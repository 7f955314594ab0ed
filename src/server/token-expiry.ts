import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { Viewer } from '../auth/tokens.js';
import { runAt } from '../http/long-timeout.js';
import { unauthenticated } from '../errors.js';

/**
 * Ends a subscription when the token it started with expires, with a last answer that says why
 * (UNAUTHENTICATED, "Token has expired"): a GraphQL-over-SSE stream would otherwise stream for as
 * long as the connection lasts. graphql-ws closes the whole socket at that instant (4403, see
 * websocket.ts), which ends its subscriptions first.
 */
export function useSubscriptionExpiry(): Plugin {
  return {
    onSubscribe({ args }) {
      const { viewer } = args.contextValue as unknown as { viewer: Viewer };
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilExpiry(result as AsyncIterable<ExecutionResult>, viewer.expiresAt));
        },
      };
    },
  };
}

async function* untilExpiry(source: AsyncIterable<ExecutionResult>, expiresAt: Date): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let expire!: () => void;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const timer = runAt(expiresAt, expire);
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next === 'expired') {
        const error = unauthenticated('Token has expired');
        yield { errors: [error] };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    timer.clear();
    await iterator.return?.();
  }
}
