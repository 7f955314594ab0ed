import { apiError } from '../errors.js';

export interface TenantQueueOptions {
  /** Statements running at once, all tenants together: the pool's connections less those kept free. */
  total: number;
  /** Statements one tenant may run at once while no other tenant is active. */
  perTenant: number;
  /** Statements one tenant may run at once while another tenant is active too. */
  contendedPerTenant: number;
  /** How long a statement may wait for its turn before its operation is refused. */
  maxWaitMs: number;
  /** Statements one tenant may have waiting; more are refused at once. */
  maxWaiting: number;
}

/** A tenant that asked for a turn this recently is active. */
const ACTIVE_MS = 1_000;

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

export interface QueueStats {
  running: number;
  waiting: number;
  /** How long the longest waiting statement has waited, ms. */
  oldestWaitMs: number;
}

/** The error of a statement that waited too long or found its tenant's queue full: 503 with Retry-After. */
export function overloaded(message: string) {
  return apiError('OVERLOADED', message, { retryAfterSeconds: 1, http: { status: 503, headers: { 'retry-after': '1' } } });
}

/**
 * Turns at the database for report statements, shared fairly between tenants: a tenant runs at
 * most `perTenant` statements at once, and only `contendedPerTenant` while another tenant is active
 * (has asked for a turn within the last second): the statements that run at once share the database
 * server's cores, so a tenant's four heavy statements would slow another's one small statement as
 * surely as a queue would. When a statement ends the next turn goes to the waiting
 * tenant that runs the fewest, round-robin among equals, never to whoever queued first. So a tenant
 * with a hundred statements queued holds its share and no more, and another tenant's first
 * statement runs at the next free turn, ahead of them. Bounded: a statement waits at most
 * `maxWaitMs`, and a tenant queues at most `maxWaiting`.
 */
export class TenantQueue {
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Waiter[]>();
  /** Waiting tenants in the order their turns come round. */
  #ring: string[] = [];
  #total = 0;
  readonly #waitedSince = new Map<Waiter, number>();
  /** When each tenant last asked for a turn. */
  readonly #lastAsked = new Map<string, number>();

  constructor(readonly options: TenantQueueOptions) {}

  async run<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    await this.#turn(tenant);
    try {
      return await work();
    } finally {
      this.#release(tenant);
    }
  }

  stats(): QueueStats {
    let waiting = 0;
    for (const queue of this.#waiting.values()) waiting += queue.length;
    let oldest = Date.now();
    for (const since of this.#waitedSince.values()) oldest = Math.min(oldest, since);
    return { running: this.#total, waiting, oldestWaitMs: Date.now() - oldest };
  }

  #turn(tenant: string): Promise<void> {
    this.#lastAsked.set(tenant, Date.now());
    const queue = this.#waiting.get(tenant);
    if (!queue && this.#total < this.options.total && this.#runs(tenant) < this.#share(tenant)) {
      this.#start(tenant);
      return Promise.resolve();
    }
    if ((queue?.length ?? 0) >= this.options.maxWaiting) {
      return Promise.reject(overloaded(`Too many report statements of this tenant are waiting (${this.options.maxWaiting}); retry in 1 s`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => resolve(),
        timer: setTimeout(() => {
          this.#remove(tenant, waiter);
          reject(overloaded(`The database is busy: this report waited ${this.options.maxWaitMs} ms for a turn; retry in 1 s`));
        }, this.options.maxWaitMs),
      };
      this.#waitedSince.set(waiter, Date.now());
      if (queue) queue.push(waiter);
      else {
        this.#waiting.set(tenant, [waiter]);
        this.#ring.push(tenant);
      }
      this.#dispatch();
    });
  }

  /** The statements `tenant` may run at once now. */
  #share(tenant: string) {
    const since = Date.now() - ACTIVE_MS;
    for (const [other, asked] of this.#lastAsked) {
      if (asked < since && !this.#running.has(other) && !this.#waiting.has(other)) this.#lastAsked.delete(other);
      else if (other !== tenant) return this.options.contendedPerTenant;
    }
    return this.options.perTenant;
  }

  #runs(tenant: string) {
    return this.#running.get(tenant) ?? 0;
  }

  #start(tenant: string) {
    this.#running.set(tenant, this.#runs(tenant) + 1);
    this.#total += 1;
  }

  #release(tenant: string) {
    const runs = this.#runs(tenant) - 1;
    if (runs === 0) this.#running.delete(tenant);
    else this.#running.set(tenant, runs);
    this.#total -= 1;
    this.#dispatch();
  }

  /** Gives free turns to the waiting tenants that run the fewest statements, in ring order among equals. */
  #dispatch() {
    while (this.#total < this.options.total) {
      let chosen: string | undefined;
      for (const tenant of this.#ring) {
        if (this.#runs(tenant) >= this.#share(tenant)) continue;
        if (chosen === undefined || this.#runs(tenant) < this.#runs(chosen)) chosen = tenant;
      }
      if (chosen === undefined) return;
      const waiter = this.#waiting.get(chosen)!.shift()!;
      this.#remove(chosen, waiter);
      // The tenant served goes to the back of the ring.
      if (this.#waiting.has(chosen)) this.#ring = [...this.#ring.filter((tenant) => tenant !== chosen), chosen];
      this.#start(chosen);
      waiter.start();
    }
  }

  #remove(tenant: string, waiter: Waiter) {
    clearTimeout(waiter.timer);
    this.#waitedSince.delete(waiter);
    const queue = this.#waiting.get(tenant);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) {
      this.#waiting.delete(tenant);
      this.#ring = this.#ring.filter((held) => held !== tenant);
    }
  }
}
