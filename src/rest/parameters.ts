import { z } from 'zod';
import 'zod-openapi';

/**
 * The REST document's parameters and value types as zod schemas: they parse requests, and the
 * OpenAPI document is generated from them. Only the shape is checked here; the GraphQL operation
 * behind each route checks the values (a real date, a known zone, from before to) and its errors
 * name the parameter.
 */

export const campaignId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { error: 'must be a campaign id such as 5' })
  .meta({ description: 'The campaign id.', example: '5', param: { example: '5' } });

export const campaignPath = z.object({ id: campaignId });

const dateTime = z.string().meta({
  description:
    'ISO 8601 instant, e.g. 2026-06-01T08:00:00+07:00; without an offset (2026-06-01T08:00:00 or 2026-06-01) it is read in `timezone`.',
});

const day = z.iso.date({ error: 'must be a date YYYY-MM-DD' }).meta({ example: '2026-06-01' });

export const timezone = z.string().meta({ description: 'IANA time zone name. Default: Asia/Ho_Chi_Minh.', example: 'Asia/Ho_Chi_Minh' });

/** from/to as instants: the window [from, to) of call start times. */
export const instantWindow = {
  from: dateTime.optional().meta({ description: "Start of the window (included). Default: the campaign's start.", example: '2026-06-01T00:00:00+07:00' }),
  to: dateTime.optional().meta({ description: 'End of the window (excluded). Default: now.', example: '2026-07-01T00:00:00+07:00' }),
};

/** from/to as calendar days in `timezone`, both included. */
export const dayRange = {
  from: day.optional().meta({ description: 'First day (included), YYYY-MM-DD. Default: the day the campaign started.' }),
  to: day.optional().meta({ description: 'Last day (included), YYYY-MM-DD. Default: today.', example: '2026-06-30' }),
};

/** One of the document's lower-case names, for a GraphQL enum whose values are the same in upper case. */
export function lowerCaseEnum<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).meta({ description });
}

export const percentage = z
  .string()
  .regex(/^\d{1,3}\.\d{2}$/)
  .meta({ description: 'A percentage with exactly two decimals, e.g. "64.69".', example: '64.69' });

export const seconds = z.number().int().min(0);
export const count = z.number().int().min(0);

/** An instant as the REST document writes it: 2026-06-30T08:00:00+00:00. */
export const instant = z.string().meta({ description: 'ISO 8601 instant in UTC.', example: '2026-06-30T08:00:00+00:00' });

export function restInstant(value: string): string;
export function restInstant(value: string | null): string | null;
export function restInstant(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
