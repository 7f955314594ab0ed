import { DateTime } from 'luxon';
import { z } from 'zod';

/** ISO 8601 with an explicit offset ("Z" or "+07:00"), and a date that exists on the calendar. */
const timestamp = z
  .string({ error: 'must be an ISO 8601 timestamp with an offset' })
  .refine((value) => /(Z|[+-]\d{2}:?\d{2})$/.test(value) && DateTime.fromISO(value, { setZone: true }).isValid, {
    message: 'must be an ISO 8601 timestamp with an offset',
  })
  .transform((value) => DateTime.fromISO(value, { setZone: true }).toUTC().toISO()!);

const text = z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty');
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);

export const campaignRecord = z.object({
  type: z.literal('campaign'),
  id: z.number({ error: 'must be an integer' }).int('must be an integer').positive('must be positive'),
  tenant_id: text,
  name: text,
  started_at: optional(timestamp),
  dtmf_actions: z
    .array(
      z.object({
        digit: z.string().regex(/^[0-9*#]$/, 'must be one of 0-9, * or #'),
        label: z.string(),
        action: optional(z.string()),
      }),
    )
    .refine((actions) => new Set(actions.map((a) => a.digit)).size === actions.length, 'has a digit twice')
    .nullish()
    .transform((value) => value ?? []),
});

export const leadRecord = z.object({
  type: z.literal('lead'),
  id: text,
  campaign_id: z.number({ error: 'must be an integer' }).int('must be an integer'),
  phone: text,
  imported_at: timestamp,
});

export const callResults = ['answered', 'no_answer', 'busy', 'failed', 'abandoned'] as const;

export const callRecord = z
  .object({
    type: z.literal('call'),
    id: text,
    campaign_id: z.number({ error: 'must be an integer' }).int('must be an integer'),
    lead_id: text,
    started_at: timestamp,
    answered_at: optional(timestamp),
    ended_at: timestamp,
    result: z.enum(callResults, { error: `must be one of ${callResults.join(', ')}` }),
    billsec: z.number({ error: 'must be an integer' }).int('must be an integer').nonnegative('must not be negative'),
    hangup_cause: text,
    dtmf: optional(z.string().regex(/^[0-9*#]$/, 'must be one of 0-9, * or #')),
    script_path: optional(z.array(z.string({ error: 'must be a list of strings' }))),
    transfer: optional(
      z.object({
        queue: text,
        status: z.enum(['success', 'failed'], { error: 'must be success or failed' }),
      }),
    ),
    disposition: optional(text),
  })
  .refine((call) => call.ended_at >= call.started_at, { message: 'must not be before started_at', path: ['ended_at'] });

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
