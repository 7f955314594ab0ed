import { parse, validate, type GraphQLSchema } from 'graphql';
import type { Database } from '../db/client.js';
import { documentHash } from './document-ids.js';

/** One document of a manifest: its hash and text. */
export interface ManifestEntry {
  hash: string;
  body: string;
}

/** A document that does not hold against a schema, and why. */
export interface DocumentProblem {
  hash: string;
  /** The operation's name, when the text parses and names one. */
  operation?: string;
  /** Which published versions carry it (`web@1.4.0`); empty while publishing. */
  usedBy: string[];
  errors: string[];
}

/**
 * A manifest as GraphQL Code Generator's client preset writes it with `persistedDocuments`
 * (persisted-documents.json): an object from each document's hash to its text. Every key must be the
 * SHA-256 of its text; the errors name the key.
 */
export function readManifest(json: string, file: string): ManifestEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object of "<sha256 hex>": "<document text>" (persisted-documents.json of GraphQL Code Generator's client preset)`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw new Error(`${file}: holds no documents`);
  const problems: string[] = [];
  for (const [key, body] of entries) {
    if (typeof body !== 'string') problems.push(`"${key}": the value is not a document's text`);
    else if (documentHash(body) !== key.replace(/^sha256:/, '').toLowerCase()) {
      problems.push(`"${key}": is not the SHA-256 of its text (${documentHash(body)}); generate the manifest with hashAlgorithm: 'sha256'`);
    }
  }
  if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return entries.map(([, body]) => ({ hash: documentHash(body as string), body: body as string }));
}

/** The documents that do not parse or validate against `schema`, with GraphQL's own messages and locations. */
export function documentProblems(schema: GraphQLSchema, documents: (ManifestEntry & { usedBy?: string[] })[]): DocumentProblem[] {
  return documents.flatMap(({ hash, body, usedBy = [] }) => {
    let document;
    try {
      document = parse(body);
    } catch (error) {
      return [{ hash, usedBy, errors: [(error as Error).message] }];
    }
    const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition')?.name?.value;
    const errors = validate(schema, document).map((error) => {
      const at = error.locations?.map(({ line, column }) => `${line}:${column}`).join(', ');
      return at ? `${error.message} (at ${at})` : error.message;
    });
    return errors.length > 0 ? [{ hash, operation, usedBy, errors }] : [];
  });
}

export interface ManifestSummary {
  app: string;
  version: string;
  documents: number;
  publishedAt: Date;
  retiredAt: Date | null;
}

/** Manifests in PostgreSQL (or the embedded database), shared by every gateway of the database. */
export class Manifests {
  constructor(private readonly db: Database) {}

  /**
   * Publishes `documents` as `app`@`version`, in one transaction; publishing the same set again is a
   * no-op, a different set under a published version is refused (a released client's ids never change).
   */
  async publish(app: string, version: string, documents: ManifestEntry[]): Promise<{ created: boolean }> {
    return this.db.prisma.$transaction(async (tx) => {
      const existing = await tx.documentManifest.findUnique({ where: { app_version: { app, version } }, include: { documents: { select: { hash: true } } } });
      const hashes = [...new Set(documents.map((document) => document.hash))].sort();
      if (existing) {
        const published = existing.documents.map((document) => document.hash).sort();
        if (published.join() !== hashes.join()) {
          throw new Error(`${app}@${version} is published with other documents: a version's documents never change; publish a new version`);
        }
        return { created: false };
      }
      await tx.persistedDocument.createMany({ data: documents.map(({ hash, body }) => ({ hash, body })), skipDuplicates: true });
      await tx.documentManifest.create({ data: { app, version, documents: { create: hashes.map((hash) => ({ hash })) } } });
      return { created: true };
    });
  }

  /** Retires `app`@`version`: its documents are refused unless another live version carries them. */
  async retire(app: string, version: string): Promise<void> {
    const { count } = await this.db.prisma.documentManifest.updateMany({ where: { app, version, retiredAt: null }, data: { retiredAt: new Date() } });
    if (count === 0) {
      const known = await this.db.prisma.documentManifest.findUnique({ where: { app_version: { app, version } } });
      throw new Error(known ? `${app}@${version} is retired already` : `no manifest ${app}@${version} is published (npm run documents -- list)`);
    }
  }

  async list(): Promise<ManifestSummary[]> {
    const manifests = await this.db.prisma.documentManifest.findMany({ orderBy: [{ app: 'asc' }, { publishedAt: 'asc' }], include: { _count: { select: { documents: true } } } });
    return manifests.map(({ app, version, publishedAt, retiredAt, _count }) => ({ app, version, documents: _count.documents, publishedAt, retiredAt }));
  }

  /** The text of a document some live (not retired) manifest carries; undefined otherwise. */
  async trusted(hash: string): Promise<string | undefined> {
    const document = await this.db.prisma.persistedDocument.findFirst({ where: { hash, manifests: { some: { manifest: { retiredAt: null } } } }, select: { body: true } });
    return document?.body;
  }

  /** Every document of a live manifest, with the versions that carry it. */
  async live(): Promise<(ManifestEntry & { usedBy: string[] })[]> {
    const documents = await this.db.prisma.persistedDocument.findMany({
      where: { manifests: { some: { manifest: { retiredAt: null } } } },
      include: { manifests: { where: { manifest: { retiredAt: null } }, include: { manifest: { select: { app: true, version: true } } } } },
      orderBy: { hash: 'asc' },
    });
    return documents.map(({ hash, body, manifests }) => ({ hash, body, usedBy: manifests.map(({ manifest }) => `${manifest.app}@${manifest.version}`).sort() }));
  }
}
