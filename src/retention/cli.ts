import { parseArgs } from 'node:util';
import { runCommand, UsageError } from '../cli/command.js';
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../db/configured.js';
import { migrate } from '../db/migrator.js';
import { createEmbeddedDatabase } from '../db/prepare.js';
import { removeCallsBefore } from './remove-calls.js';

const USAGE = `usage: npm run retention -- --before DATE [--campaign ID]... [--tenant TENANT] [--grace-seconds N]
  --before DATE        remove the raw calls started before DATE (YYYY-MM-DD: midnight UTC; or an ISO 8601 instant with its offset)
  --campaign ID        only this campaign (repeat for more); default: every campaign (of --tenant)
  --tenant TENANT      only this tenant's campaigns
  --grace-seconds N    wait for reads that began before the cutoff was recorded (default: a query's deadline, 10)`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { before: { type: 'string' }, campaign: { type: 'string', multiple: true }, tenant: { type: 'string' }, 'grace-seconds': { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.before) throw new UsageError('--before is required');
  const before = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.before) ? `${values.before}T00:00:00Z` : values.before);
  if (Number.isNaN(before.getTime()) || !/^\d{4}-\d{2}-\d{2}($|T.*(Z|[+-]\d{2}:?\d{2})$)/.test(values.before)) {
    throw new UsageError(`--before "${values.before}": not a date (YYYY-MM-DD) or an instant with its offset`);
  }
  const campaignIds = values.campaign?.map((id) => {
    if (!/^\d+$/.test(id)) throw new UsageError(`--campaign "${id}": not a campaign id`);
    return Number(id);
  });
  const graceSeconds = values['grace-seconds'] === undefined ? undefined : Number(values['grace-seconds']);
  if (graceSeconds !== undefined && !(graceSeconds >= 0)) throw new UsageError(`--grace-seconds "${values['grace-seconds']}": not a number of seconds`);

  const config = loadConfig();
  if (!config.databaseUrl) await createEmbeddedDatabase(config.dataDir);
  const db = await openConfiguredDatabase(config, { longStatements: true });
  try {
    await migrate(db);
    const removals = await removeCallsBefore(db, {
      before,
      campaignIds,
      tenantId: values.tenant,
      graceMs: graceSeconds === undefined ? undefined : graceSeconds * 1000,
      onProgress: (message) => console.error(message),
    });
    const removed = removals.reduce((sum, removal) => sum + removal.removed, 0);
    console.log(`removed ${removed} raw calls of ${removals.length} campaign(s) started before ${before.toISOString()}; their rollups keep counting them`);
    return 0;
  } finally {
    await db.close();
  }
}

runCommand('retention', USAGE, main);
