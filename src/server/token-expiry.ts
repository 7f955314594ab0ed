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

/**
 * The source's answers until `expiresAt`, then the expiry error and the end. Written out rather
 * than as an async generator: a generator waiting for the source's next answer would take a
 * client's return() (an SSE client gone) only at its next yield, and keep the source running until
 * it next pushed, or for ever.
 */
function untilExpiry(source: AsyncIterable<ExecutionResult>, expiresAt: Date): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let expire!: () => void;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const timer = runAt(expiresAt, expire);
  let done = false;
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!done) {
      done = true;
      timer.clear();
      await iterator.return?.();
    }
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (done) return { done: true, value: undefined };
      const next = await Promise.race([iterator.next(), expired]);
      if (next === 'expired') {
        await finish();
        return { done: false, value: { errors: [unauthenticated('Token has expired')] } };
      }
      if (next.done) {
        done = true;
        timer.clear();
      }
      return next;
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
  };
}
