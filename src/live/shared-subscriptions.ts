import { Kind, print, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { Repeater, type Plugin } from 'graphql-yoga';
import type { Context } from '../schema/context.js';

type Result = ExecutionResult;

interface Shared {
  listeners: Map<symbol, { push: (result: Result) => void; stop: (error?: unknown) => void }>;
  /** The latest result, for subscribers that join later: the state as it is now. */
  latest?: Result;
  stop(): void;
}

/**
 * Subscriptions to the given root fields whose document, variables, tenant and permissions are the
 * same share one execution: each change is computed once and the result fanned out to all of them,
 * however many watch it. A subscriber that joins later gets the latest result at once.
 */
export function useSharedSubscriptions(rootFields: ReadonlySet<string>): Plugin<Context> {
  const shared = new Map<string, Shared>();

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const document = args.document as DocumentNode;
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION && (!args.operationName || definition.name?.value === args.operationName),
      );
      const fields = operation?.selectionSet.selections ?? [];
      if (operation?.operation !== 'subscription' || !fields.every((field) => field.kind === Kind.FIELD && rootFields.has(field.name.value))) return;
      const { viewer } = args.contextValue as Context;
      const key = JSON.stringify([print(document), args.operationName ?? null, args.variableValues ?? {}, viewer.tenantId, [...viewer.permissions].sort()]);
      setSubscribeFn(async () => join(key, () => subscribeFn(args)));
    },
  };

  function join(key: string, start: () => Promise<AsyncIterable<Result> | Result> | AsyncIterable<Result> | Result) {
    return new Repeater<Result>(async (push, stop) => {
      let entry = shared.get(key);
      if (!entry) {
        entry = open(key, start);
        shared.set(key, entry);
      }
      const id = Symbol('subscriber');
      entry.listeners.set(id, { push: (result) => void push(result), stop: (error) => stop(error) });
      if (entry.latest) await push(entry.latest);
      await stop;
      entry.listeners.delete(id);
      if (entry.listeners.size === 0) {
        shared.delete(key);
        entry.stop();
      }
    });
  }

  function open(key: string, start: () => Promise<AsyncIterable<Result> | Result> | AsyncIterable<Result> | Result): Shared {
    let iterator: AsyncIterator<Result> | undefined;
    let stopped = false;
    const entry: Shared = {
      listeners: new Map(),
      stop: () => {
        stopped = true;
        void iterator?.return?.();
      },
    };
    const publish = (result: Result) => {
      entry.latest = result;
      for (const listener of entry.listeners.values()) listener.push(result);
    };
    /** Ends every subscriber's stream; with an error (e.g. NOT_FOUND), each of them gets it. */
    const end = (error?: unknown) => {
      if (shared.get(key) === entry) shared.delete(key);
      for (const listener of entry.listeners.values()) listener.stop(error);
    };
    void (async () => {
      const source = await start();
      if (!(Symbol.asyncIterator in source)) return publish(source);
      iterator = source[Symbol.asyncIterator]();
      if (stopped) return void iterator.return?.();
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) publish(next.value);
    })().then(() => end(), end);
    return entry;
  }
}
