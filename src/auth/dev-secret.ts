import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Embedded mode without AUTH_JWT_SECRET: a random secret kept in DATA_DIR, so tokens survive restarts. */
export function loadOrCreateDevSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
