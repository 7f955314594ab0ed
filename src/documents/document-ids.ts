import { createHash } from 'node:crypto';
import { createGraphQLError } from 'graphql-yoga';

/** A trusted document's hash: the SHA-256 of its text, 64 lowercase hex digits (what GraphQL Code Generator's client preset writes with hashAlgorithm sha256). */
export const documentHash = (text: string) => createHash('sha256').update(text).digest('hex');

/** A document id as a request carries it: `sha256:<hex>` (GraphQL over HTTP's persisted documents) or the bare hex (Apollo Client, urql). */
const DOCUMENT_ID = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** The hash an id names; a clear 400 naming the parameter when it is not one. */
export function hashOfDocumentId(id: string, parameter: string): string {
  const match = DOCUMENT_ID.exec(id);
  if (!match) {
    throw createGraphQLError(`${parameter} "${id.slice(0, 80)}" is not a document id: expected sha256:<64 hex digits> or the 64 hex digits alone`, {
      extensions: { code: 'PERSISTED_QUERY_ID_INVALID', argumentName: parameter, http: { status: 400 } },
    });
  }
  return match[1]!.toLowerCase();
}
