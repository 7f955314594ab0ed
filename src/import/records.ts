import { z } from 'zod';

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const TIMESTAMP_MESSAGE = 'must be an ISO 8601 timestamp with an offset';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * ISO 8601 with an explicit offset ("Z" or "+07:00") naming a moment that exists on the calendar.
 * The text goes to PostgreSQL as it is (timestamptz reads the offset). Hand-rolled rather than
 * luxon: it runs three times per call line, and the import's throughput depends on it.
 */
export function isTimestampWithOffset(value: string): boolean {
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, , offset] = match;
  const monthNumber = +month!;
  const dayNumber = +day!;
  if (monthNumber < 1 || monthNumber > 12 || dayNumber < 1) return false;
  const daysInMonth = monthNumber === 2 && isLeapYear(+year!) ? 29 : DAYS_IN_MONTH[monthNumber - 1]!;
  // PostgreSQL reads offsets up to ±15:59 and no year 0000.
  const offsetOk = offset === 'Z' || (+offset!.slice(1, 3) <= 15 && +offset!.slice(4) <= 59);
  return dayNumber <= daysInMonth && +hour! <= 23 && +minute! <= 59 && +second! <= 59 && offsetOk;
}

const timestamp = z
  .string({ error: TIMESTAMP_MESSAGE })
  .refine(isTimestampWithOffset, TIMESTAMP_MESSAGE)
  // The API reads years 1900-9999; PostgreSQL cannot even read year 0000 in this form.
  .refine((value) => Number(value.slice(0, 4)) >= 1900, 'must be in the year 1900 or later');

// Every value must be one PostgreSQL stores: text without NUL characters, integers in int4.
const MAX_INT4 = 2_147_483_647;
const noNul = (value: string) => !value.includes('\u0000');
const string = (maxLength: number) =>
  z
    .string({ error: 'must be a string' })
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(noNul, 'must not contain a NUL character');
const text = (maxLength = 200) => string(maxLength).regex(/\S/, 'must not be empty');
const integer = z.number({ error: 'must be an integer' }).int('must be an integer').max(MAX_INT4, `must be at most ${MAX_INT4}`);
const campaignId = integer.positive('must be positive');
// Absent and null mean the same; both reach the database as NULL.
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

export const campaignRecord = z.object({
  type: z.literal('campaign'),
  id: campaignId,
  tenant_id: text(),
  name: text(500),
  started_at: optional(timestamp),
  dtmf_actions: z
    .array(
      z.object({
        digit: z.string().regex(/^[0-9*#]$/, 'must be one of 0-9, * or #'),
        label: string(200),
        action: optional(string(200)),
      }),
    )
    .max(12, 'may define at most the 12 keys of a phone')
    .refine((actions) => new Set(actions.map((a) => a.digit)).size === actions.length, 'has a digit twice')
    .nullish()
    .transform((value) => value ?? []),
});

export const leadRecord = z.object({
  type: z.literal('lead'),
  id: text(),
  campaign_id: campaignId,
  phone: text(50),
  imported_at: timestamp,
});

export const callResults = ['answered', 'no_answer', 'busy', 'failed', 'abandoned'] as const;

export const callRecord = z
  .object({
    type: z.literal('call'),
    id: text(),
    campaign_id: campaignId,
    lead_id: text(),
    started_at: timestamp,
    answered_at: optional(timestamp),
    ended_at: timestamp,
    result: z.enum(callResults, { error: `must be one of ${callResults.join(', ')}` }),
    billsec: integer.nonnegative('must not be negative'),
    hangup_cause: text(100),
    dtmf: optional(z.string().regex(/^[0-9*#]$/, 'must be one of 0-9, * or #')),
    script_path: optional(
      z
        .array(string(200).regex(/^[^\u001f]*$/, 'must not contain U+001F'), { error: 'must be a list of strings' })
        .max(100, 'may list at most 100 nodes'),
    ),
    transfer: optional(
      z.object({
        queue: text(),
        status: z.enum(['success', 'failed'], { error: 'must be success or failed' }),
      }),
    ),
    disposition: optional(text()),
  })
  .refine((call) => Date.parse(call.ended_at) >= Date.parse(call.started_at), {
    message: 'must not be before started_at',
    path: ['ended_at'],
  });

export type CampaignRecord = z.output<typeof campaignRecord>;
export type LeadRecord = z.output<typeof leadRecord>;
export type CallRecord = z.output<typeof callRecord>;
export type ImportRecord = CampaignRecord | LeadRecord | CallRecord;
export type RecordType = ImportRecord['type'];
export const recordTypes: RecordType[] = ['campaign', 'lead', 'call'];

const schemas = { campaign: campaignRecord, lead: leadRecord, call: callRecord } as const;

export type ParsedLine = { ok: true; record: ImportRecord } | { ok: false; type?: RecordType; reason: string };

/** Parses one NDJSON line into a validated record, or the reason it is rejected. */
export function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(type in schemas)) {
    return { ok: false, reason: `unknown type ${JSON.stringify(type ?? null)} (expected campaign, lead or call)` };
  }
  const recordType = type as RecordType;
  const parsed = schemas[recordType].safeParse(value);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0]!;
  const key = issue.path.join('.');
  const missing = issue.code === 'invalid_type' && (value as Record<string, unknown>)[String(issue.path[0])] === undefined;
  return { ok: false, type: recordType, reason: missing ? `missing required key "${key}"` : `"${key}" ${issue.message}` };
}
