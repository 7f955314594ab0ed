import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { unauthenticated } from '../errors.js';

export const PERMISSIONS = {
  apiAccess: 'autocall_api_access',
  exportReport: 'autocall_export_report',
  /** POST /ingest into the token's own tenant. */
  ingest: 'autocall_ingest',
  /** POST /ingest into any tenant, as the import command writes: only `npm run import` mints it. */
  importAnyTenant: 'autocall_import_any_tenant',
  /** Raw query text where only trusted documents are accepted (PERSISTED_DOCUMENTS=require): GraphiQL, for the developers of the apps. */
  explore: 'autocall_explore',
} as const;

export interface Viewer {
  subject: string;
  tenantId: string;
  permissions: ReadonlySet<string>;
  expiresAt: Date;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  tenant_id: z.string().min(1),
  permissions: z.array(z.string()),
  exp: z.number(),
});

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

const verifyingKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/**
 * The secret as a WebCrypto key, made once: given the bytes, jose imports them anew for every
 * token, which was a fifth of the CPU a one-call ingest costs.
 */
function verifyingKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = verifyingKeys.get(secret);
  if (!key) verifyingKeys.set(secret, (key = crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])));
  return key;
}

/** Tokens verified lately, per secret: a dialer posting a call a request sends the same one each time. */
const VERIFIED_TOKENS_KEPT = 10_000;
const verifiedTokens = new WeakMap<Uint8Array, Map<string, Viewer>>();

/**
 * Verifies `Authorization: Bearer <JWT>`: HS256 only, `exp` required, the contract's claims present.
 * A token already verified with this secret is taken at its word until it expires (the whole token,
 * signature included, is the key).
 */
export async function authenticate(authorization: string | null | undefined, key: Uint8Array): Promise<Viewer> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token) throw unauthenticated('Missing bearer token: send "Authorization: Bearer <JWT>"');
  let verified = verifiedTokens.get(key);
  if (!verified) verifiedTokens.set(key, (verified = new Map()));
  const known = verified.get(token);
  if (known && known.expiresAt.getTime() > Date.now()) return known;
  verified.delete(token);
  const viewer = await verify(token, key);
  if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
  verified.set(token, viewer);
  return viewer;
}

async function verify(token: string, key: Uint8Array): Promise<Viewer> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await verifyingKey(key), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthenticated('Token has expired');
    throw unauthenticated('Invalid token');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthenticated('Token lacks the sub, tenant_id, permissions or exp claim');
  return {
    subject: claims.data.sub,
    tenantId: claims.data.tenant_id,
    permissions: new Set(claims.data.permissions),
    expiresAt: new Date(claims.data.exp * 1000),
  };
}

export interface TokenClaims {
  sub: string;
  tenantId: string;
  permissions: string[];
  expiresIn?: string | number;
}

export function signToken(key: Uint8Array, { sub, tenantId, permissions, expiresIn = '1h' }: TokenClaims): Promise<string> {
  return new SignJWT({ tenant_id: tenantId, permissions })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);
}
