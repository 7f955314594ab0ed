import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

// GraphQL Code Generator's client preset, run by `npm run codegen` from the repository's root: it
// reads the operations written with graphql(`…`) in the example clients and types each of them
// against schema.graphql. strictScalars refuses to guess a type for a custom scalar (it would be
// `unknown`): each one is mapped to how it travels in JSON.
//
// It also writes the trusted documents' manifest, examples/gql/persisted-documents.json (each
// operation's SHA-256 and text), which `npm run documents -- publish` takes, and puts each
// operation's hash in its document (document.__meta__.hash), which the clients send instead of the
// text. Apollo Client's cache asks for __typename on every object: the transform writes it into the
// documents, so the text the gateway trusts is the text Apollo Client means.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/*.ts', '!examples/codegen.ts'],
  // Imports with .js, as Node's ES modules (and TypeScript's NodeNext) want them.
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        strictScalars: true,
        scalars: {
          DateTime: 'string', // ISO 8601 with an offset, e.g. 2026-06-01T08:00:00+07:00
          Date: 'string', // a calendar day, e.g. 2026-06-30
          TimeZone: 'string', // an IANA zone name, e.g. Asia/Ho_Chi_Minh
          Percentage: 'string', // two decimals, e.g. "64.69"
        },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
