import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connectionSettings } from '../../src/db/client.js';

describe('fleet configuration', () => {
  it('keeps export files in DATA_DIR/exports unless EXPORT_STORAGE_URL names a bucket, addressed by path when AWS_ENDPOINT_URL is set', () => {
    expect(loadConfig({ DATA_DIR: '/srv/autocall' }).exportStorage).toEqual({ kind: 'local', dir: '/srv/autocall/exports' });
    expect(loadConfig({ EXPORT_STORAGE_URL: 's3://acme-exports' }).exportStorage).toEqual({
      kind: 's3', bucket: 'acme-exports', prefix: '', region: 'us-east-1', forcePathStyle: false,
    });
    expect(loadConfig({ EXPORT_STORAGE_URL: 's3://exports/autocall/eu/', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://minio:9000' }).exportStorage).toEqual({
      kind: 's3', bucket: 'exports', prefix: 'autocall/eu/', region: 'eu-west-1', forcePathStyle: true,
    });
    expect(() => loadConfig({ EXPORT_STORAGE_URL: 'https://exports.example.com' })).toThrow(/EXPORT_STORAGE_URL: must be s3:\/\/bucket/);
    expect(() => loadConfig({ EXPORT_STORAGE_URL: 's3://No_Such' })).toThrow(/EXPORT_STORAGE_URL: must be s3:\/\/bucket or s3:\/\/bucket\/prefix, with a valid bucket name/);
  });

  it('runs one export at a time by default, none with EXPORT_WORKERS=0, and pools 10 connections unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ exportWorkers: 1, databasePoolSize: 10 });
    expect(loadConfig({ EXPORT_WORKERS: '0', DATABASE_POOL_SIZE: '4' })).toMatchObject({ exportWorkers: 0, databasePoolSize: 4 });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '2' })).toThrow(/DATABASE_POOL_SIZE: must be at least 3/);
    expect(() => loadConfig({ EXPORT_WORKERS: '-1' })).toThrow(/EXPORT_WORKERS/);
  });

  it('sends PgBouncer (?pgbouncer=true) no server settings at connection start, and PostgreSQL its own', () => {
    const timeouts = { connectMs: 5_000, queryMs: 5_000 };
    expect(connectionSettings('postgresql://app@db:5432/autocall', timeouts)).toEqual({
      pgbouncer: false,
      config: expect.objectContaining({ connectionString: 'postgresql://app@db:5432/autocall', statement_timeout: 5_000, options: '-c jit=off -c work_mem=64MB', query_timeout: 5_000 }),
    });
    const pooled = connectionSettings('postgresql://app@pgbouncer:6432/autocall?pgbouncer=true&sslmode=disable', timeouts);
    expect(pooled.pgbouncer).toBe(true);
    expect(pooled.config.connectionString).toBe('postgresql://app@pgbouncer:6432/autocall?sslmode=disable');
    expect(pooled.config).not.toHaveProperty('options');
    expect(pooled.config).not.toHaveProperty('statement_timeout');
    expect(pooled.config.query_timeout).toBe(5_000);
  });
});
