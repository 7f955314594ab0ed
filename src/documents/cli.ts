import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { runCommand, UsageError } from '../cli/command.js';
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../db/configured.js';
import { migrate } from '../db/migrator.js';
import { createEmbeddedDatabase } from '../db/prepare.js';
import { schema as gatewaySchema } from '../schema/index.js';
import { documentProblems, Manifests, readManifest, type DocumentProblem } from './manifests.js';

const USAGE = `usage: npm run documents -- <command>
  publish --app APP --version VERSION FILE.json   publish a manifest (persisted-documents.json of GraphQL Code Generator's client preset)
  retire --app APP --version VERSION               its ids are refused from now on (unless another live version carries them)
  list                                             every manifest, live or retired
  check [SCHEMA.graphql]                           which live documents a changed schema (default schema.graphql) would break`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { app: { type: 'string' }, version: { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const named = (name: 'app' | 'version') => {
    const value = values[name]?.trim();
    if (!value) throw new UsageError(`${command} needs --${name}`);
    if (!/^[\w.@+-]{1,100}$/.test(value)) throw new UsageError(`--${name} "${value}": letters, digits and . _ - + @ only, at most 100`);
    return value;
  };
  const config = loadConfig();
  const withManifests = async <T>(work: (manifests: Manifests) => Promise<T>) => {
    if (!config.databaseUrl) await createEmbeddedDatabase(config.dataDir);
    const db = await openConfiguredDatabase(config);
    try {
      await migrate(db);
      return await work(new Manifests(db));
    } finally {
      await db.close();
    }
  };

  switch (command) {
    case 'publish': {
      const [file] = rest;
      if (!file || rest.length > 1) throw new UsageError('publish takes one manifest file');
      const app = named('app');
      const version = named('version');
      if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
      const documents = readManifest(fs.readFileSync(file, 'utf8'), file);
      // Every document is checked against the gateway's schema before any is stored.
      const problems = documentProblems(gatewaySchema, documents);
      if (problems.length > 0) {
        console.error(`${file}: ${problems.length} of ${documents.length} documents do not hold against the gateway's schema; nothing was published`);
        printProblems(problems);
        return 1;
      }
      const { created } = await withManifests((manifests) => manifests.publish(app, version, documents));
      console.log(created ? `published ${app}@${version}: ${documents.length} documents` : `${app}@${version} is published already with these ${documents.length} documents`);
      return 0;
    }
    case 'retire': {
      if (rest.length > 0) throw new UsageError('retire takes no file');
      const app = named('app');
      const version = named('version');
      await withManifests((manifests) => manifests.retire(app, version));
      console.log(`retired ${app}@${version}`);
      return 0;
    }
    case 'list': {
      const all = await withManifests((manifests) => manifests.list());
      if (all.length === 0) console.log('no manifests are published');
      for (const { app, version, documents, publishedAt, retiredAt } of all) {
        console.log(`${`${app}@${version}`.padEnd(32)} ${String(documents).padStart(4)} documents  published ${publishedAt.toISOString()}${retiredAt ? `  retired ${retiredAt.toISOString()}` : ''}`);
      }
      return 0;
    }
    case 'check': {
      const file = rest[0] ?? 'schema.graphql';
      if (rest.length > 1) throw new UsageError('check takes at most one schema file');
      if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
      let changed: GraphQLSchema;
      try {
        changed = buildSchema(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file}: not a schema (${(error as Error).message})`);
      }
      const live = await withManifests((manifests) => manifests.live());
      const problems = documentProblems(changed, live);
      if (problems.length === 0) {
        console.log(`${file} breaks none of the ${live.length} documents of live manifests`);
        return 0;
      }
      console.error(`${file} breaks ${problems.length} of the ${live.length} documents of live manifests:`);
      printProblems(problems);
      return 1;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

function printProblems(problems: DocumentProblem[]) {
  for (const { hash, operation, usedBy, errors } of problems) {
    console.error(`  sha256:${hash}${operation ? ` (${operation})` : ''}${usedBy.length > 0 ? `, used by ${usedBy.join(', ')}` : ''}`);
    for (const error of errors) console.error(`    ${error}`);
  }
}

runCommand('documents', USAGE, main);
