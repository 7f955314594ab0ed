import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable } from '@prisma/driver-adapter-utils';

export type QueryListener = (sql: string, args: readonly unknown[]) => void;

/** Listeners told of every statement the client sends, so tests can count them per operation. */
export class QueryLog {
  private readonly listeners = new Set<QueryListener>();

  observe(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners of a statement sent past Prisma. */
  record(sql: string, args: readonly unknown[]): void {
    for (const listener of this.listeners) listener(sql, args);
  }

  /** Wraps an adapter factory so every statement, inside transactions too, passes the log. */
  wrap(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
    const log = this;
    return Object.assign(Object.create(factory) as SqlDriverAdapterFactory, {
      async connect() {
        const adapter = await factory.connect();
        return log.observed(adapter, {
          startTransaction: async (...args: Parameters<SqlDriverAdapter['startTransaction']>) =>
            log.observed(await adapter.startTransaction(...args), {}),
        });
      },
    });
  }

  private observed<T extends SqlQueryable>(queryable: T, overrides: Partial<T>): T {
    const notify = (query: SqlQuery) => this.record(query.sql, query.args);
    return new Proxy(queryable, {
      get(target, property, receiver) {
        if (property in overrides) return overrides[property as keyof T];
        if (property === 'queryRaw' || property === 'executeRaw') {
          return (query: SqlQuery) => {
            notify(query);
            return target[property](query);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
