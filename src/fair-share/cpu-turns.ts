/**
 * Turns on the event loop for the work that builds large answers, fair between tenants.
 *
 * When a statement's answer arrives for 20 campaigns, DataLoader resolves all their loads at once,
 * and graphql-js completes every one of their thousands of buckets in one stretch of microtasks:
 * about half a second in which nothing else (a /healthz, another tenant's small query) is even
 * read off its socket. A resolver that is about to build a large report awaits a turn instead:
 * one turn is given per pass of the event loop (setImmediate, after Node has polled its sockets),
 * to the waiting tenants in rotation. So a big answer is built in slices with other work between
 * them, and a tenant with a hundred slices waiting does not delay another's first.
 */
export class CpuTurns {
  readonly #waiting = new Map<string, (() => void)[]>();
  #scheduled = false;

  /** Resolves at this tenant's next turn. */
  turn(tenant: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.#waiting.get(tenant);
      if (queue) queue.push(resolve);
      else this.#waiting.set(tenant, [resolve]);
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // Maps iterate in insertion order: the first tenant is the one whose turn it is; it goes to
      // the back of the rotation if it still waits.
      const [tenant, queue] = this.#waiting.entries().next().value!;
      this.#waiting.delete(tenant);
      const next = queue.shift()!;
      if (queue.length > 0) this.#waiting.set(tenant, queue);
      if (this.#waiting.size > 0) this.#schedule();
      next();
    });
  }
}
