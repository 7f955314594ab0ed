import pg from 'pg';

/** Runs `run` on a short-lived connection to the PostgreSQL server of `url` (for CREATE/DROP DATABASE). */
export async function withServerClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the same server as `serverUrl`. */
export function scratchDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` afresh on the server of `serverUrl` and returns its URL. */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<string> {
  await withServerClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return scratchDatabaseUrl(serverUrl, name);
}

export async function dropScratchDatabase(serverUrl: string, name: string): Promise<void> {
  await withServerClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
