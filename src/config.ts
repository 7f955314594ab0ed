import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    DATA_DIR: z.string().default('./data'),
  })
  .refine((env) => !env.DATABASE_URL || env.AUTH_JWT_SECRET, {
    message: 'AUTH_JWT_SECRET is required when DATABASE_URL is set',
    path: ['AUTH_JWT_SECRET'],
  });

export interface Config {
  port: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Undefined only in embedded mode, where start generates a development secret. */
  jwtSecret: string | undefined;
  publicUrl: string;
  dataDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const { PORT, DATABASE_URL, REDIS_URL, AUTH_JWT_SECRET, PUBLIC_URL, DATA_DIR } = parsed.data;
  return {
    port: PORT,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    jwtSecret: AUTH_JWT_SECRET,
    publicUrl: (PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, ''),
    dataDir: path.resolve(DATA_DIR),
  };
}
