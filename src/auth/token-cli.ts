import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { PERMISSIONS, secretKey, signToken } from './tokens.js';
import { loadOrCreateDevSecret } from './dev-secret.js';

// npm run token -- --tenant acme [--sub alice] [--permissions autocall_api_access,autocall_export_report] [--expires 8h]
const { values } = parseArgs({
  options: {
    tenant: { type: 'string', default: 'demo' },
    sub: { type: 'string', default: 'developer' },
    permissions: { type: 'string', default: `${PERMISSIONS.apiAccess},${PERMISSIONS.exportReport}` },
    expires: { type: 'string', default: '8h' },
  },
});
const config = loadConfig();
const secret = config.jwtSecret ?? loadOrCreateDevSecret(config.dataDir);
const token = await signToken(secretKey(secret), {
  sub: values.sub,
  tenantId: values.tenant,
  permissions: values.permissions.split(',').filter(Boolean),
  expiresIn: values.expires,
});
console.log(token);
