import type { Database } from '../db/client.js';
import { findCampaignTenants } from './batch-writer.js';

/**
 * Which tenant owns each campaign, kept by the process so that a one-call ingest does not read the
 * campaign table first. Another instance may add a campaign meanwhile: an import that meets an id
 * it does not know reads the table again (once). The transaction that writes a batch checks the
 * owners again on the rows it locks, so a stale entry can never let a token write another tenant's
 * campaign.
 */
export class CampaignOwners {
  readonly #db: Database;
  #owners = new Map<number, string>();
  #reading: Promise<void> | undefined;
  #loaded = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The owners, read from the database on first use. */
  async ready(): Promise<void> {
    if (!this.#loaded) await this.reload();
  }

  get(campaignId: number): string | undefined {
    return this.#owners.get(campaignId);
  }

  /** After a commit: campaigns this process has written. */
  set(campaignId: number, tenantId: string): void {
    this.#owners.set(campaignId, tenantId);
  }

  /** Reads the table again; callers arriving while it is being read share that read. */
  reload(): Promise<void> {
    this.#reading ??= findCampaignTenants(this.#db.prisma)
      .then((owners) => {
        this.#owners = owners;
        this.#loaded = true;
      })
      .finally(() => (this.#reading = undefined));
    return this.#reading;
  }
}

const owners = new WeakMap<object, CampaignOwners>();

/** The database's campaign owners (keyed by its client: tests spread Database objects). */
export function campaignOwnersOf(db: Database): CampaignOwners {
  let known = owners.get(db.prisma);
  if (!known) owners.set(db.prisma, (known = new CampaignOwners(db)));
  return known;
}
