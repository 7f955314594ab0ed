import { createHash } from 'node:crypto';

/**
 * A weak entity tag of a report's data: equal data, equal tag, whatever the volatile fields (a
 * computed_at that moves on every request while the numbers stay the same) say.
 */
export function entityTag(data: unknown, volatile: readonly string[] = []): string {
  const text = JSON.stringify(data, (key, value: unknown) => (volatile.includes(key) ? undefined : value));
  return `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** Whether If-None-Match names the tag (weak comparison, as RFC 9110 has it for If-None-Match), or is "*". */
export function matchesAny(ifNoneMatch: string | null, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (candidate: string) => candidate.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => opaque(candidate) === opaque(tag));
}
