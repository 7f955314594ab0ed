import { pickWeighted, randomInt, seededRandom } from './random.js';

export interface DemoOptions {
  tenantId?: string;
  /** How many campaigns: the three of the REST samples first, then "Campaign 13", "Campaign 14", … */
  campaigns?: number;
  leadsPerCampaign?: number;
  seed?: number;
}

const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const JUNE_START = Date.UTC(2026, 5, 1);

const SAMPLE_CAMPAIGNS = [
  { id: 5, name: 'Renewal Q3', appeal: 1.0 },
  { id: 8, name: 'Cross-sell Q3', appeal: 0.88 },
  { id: 12, name: 'Win-back churned', appeal: 0.76 },
];

function campaignList(count: number) {
  const extra = Array.from({ length: Math.max(0, count - SAMPLE_CAMPAIGNS.length) }, (_, index) => ({
    id: 13 + index,
    name: `Campaign ${13 + index}`,
    appeal: 0.7 + ((index * 7) % 30) / 100,
  }));
  return [...SAMPLE_CAMPAIGNS, ...extra].slice(0, count);
}

const DTMF_ACTIONS = [
  { digit: '1', label: 'Đồng ý chuyển agent', action: 'queue_sales' },
  { digit: '2', label: 'Không quan tâm', action: 'playback_polite' },
  { digit: '0', label: 'Nghe lại', action: 'replay_intro' },
];

/** Share of answered calls by local hour: mornings and mid-afternoons answer best, lunch worst. */
const ANSWER_RATE_BY_HOUR: Record<number, number> = {
  8: 0.58, 9: 0.7, 10: 0.72, 11: 0.66, 12: 0.45, 13: 0.52, 14: 0.68, 15: 0.7, 16: 0.64, 17: 0.57, 18: 0.5, 19: 0.55, 20: 0.48,
};
const DIAL_HOURS = Object.keys(ANSWER_RATE_BY_HOUR).map((hour) => [Number(hour), hour === '12' ? 0.6 : 1] as const);

const UNANSWERED: readonly (readonly [{ result: string; cause: string }, number])[] = [
  [{ result: 'no_answer', cause: 'NO_ANSWER' }, 64],
  [{ result: 'no_answer', cause: 'ORIGINATOR_CANCEL' }, 6],
  [{ result: 'busy', cause: 'USER_BUSY' }, 15],
  [{ result: 'failed', cause: 'CALL_REJECTED' }, 5],
  [{ result: 'failed', cause: 'RECOVERY_ON_TIMER' }, 4],
  [{ result: 'failed', cause: 'UNALLOCATED_NUMBER' }, 2],
  [{ result: 'abandoned', cause: 'NORMAL_CLEARING' }, 4],
];

const DIGITS = [['1', 59], ['2', 30], ['0', 7], [null, 3.6], ['9', 0.4]] as const;
const DISPOSITIONS = [['interested', 45], ['callback', 20], ['not_interested', 15], ['sale', 9], [null, 11]] as const;

/**
 * A month (June 2026) of a demo tenant's dialing as NDJSON records: the same records on every run.
 * Leads are dialed up to three times until someone answers.
 */
export function* demoRecords({ tenantId = 'demo', campaigns = 3, leadsPerCampaign = 4000, seed = 20260601 }: DemoOptions = {}) {
  const random = seededRandom(seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  let callNumber = 0;
  for (const campaign of campaignList(campaigns)) {
    const start = JUNE_START + 3_600_000; // 01:00Z, 08:00 in Hồ Chí Minh City
    yield { type: 'campaign', id: campaign.id, tenant_id: tenantId, name: campaign.name, started_at: iso(start), dtmf_actions: DTMF_ACTIONS };
    for (let n = 1; n <= leadsPerCampaign; n += 1) {
      const leadId = `L-${campaign.id}-${n}`;
      const phone = `+849${String(campaign.id * 10_000_000 + n).padStart(8, '0')}`;
      yield { type: 'lead', id: leadId, campaign_id: campaign.id, phone, imported_at: iso(start - randomInt(random, 1, 72) * 3_600_000) };
      let day = randomInt(random, 0, 25);
      for (let attempt = 1; attempt <= 3 && day < 30; attempt += 1) {
        const hour = pickWeighted(random, DIAL_HOURS);
        const startedAt = JUNE_START + day * DAY_MS + hour * 3_600_000 - VIETNAM_OFFSET_MS + randomInt(random, 0, 3599) * 1000;
        callNumber += 1;
        const answered = random() < ANSWER_RATE_BY_HOUR[hour]! * campaign.appeal;
        yield answered
          ? answeredCall(random, `C-${callNumber}`, campaign.id, leadId, startedAt)
          : unansweredCall(random, `C-${callNumber}`, campaign.id, leadId, startedAt);
        if (answered) break;
        day += randomInt(random, 1, 3);
      }
    }
  }
}

function answeredCall(random: () => number, id: string, campaignId: number, leadId: string, startedAt: number) {
  const answeredAt = startedAt + randomInt(random, 4, 18) * 1000;
  const digit = pickWeighted(random, DIGITS);
  const billsec =
    digit === '1' ? randomInt(random, 30, 90) : digit === '0' ? randomInt(random, 35, 60) : randomInt(random, 8, 30);
  const path =
    digit === '1' ? ['intro', 'press_1', 'queue_sales']
    : digit === '2' ? ['intro', 'press_2', 'playback_polite', 'hangup']
    : digit === '0' ? ['intro', 'press_0', 'intro', 'hangup']
    : digit === null ? ['intro', 'no_input', 'hangup']
    : ['intro', 'invalid_input', 'hangup'];
  const transferred = digit === '1' ? (random() < 0.982 ? 'success' : 'failed') : null;
  const disposition = transferred === 'success' ? pickWeighted(random, DISPOSITIONS) : null;
  return {
    type: 'call', id, campaign_id: campaignId, lead_id: leadId,
    started_at: new Date(startedAt).toISOString(),
    answered_at: new Date(answeredAt).toISOString(),
    ended_at: new Date(answeredAt + billsec * 1000).toISOString(),
    result: 'answered', billsec, hangup_cause: 'NORMAL_CLEARING', dtmf: digit, script_path: path,
    transfer: transferred ? { queue: 'sales', status: transferred } : null,
    disposition,
  };
}

function unansweredCall(random: () => number, id: string, campaignId: number, leadId: string, startedAt: number) {
  const { result, cause } = pickWeighted(random, UNANSWERED);
  const ringSeconds = result === 'no_answer' ? randomInt(random, 25, 45) : randomInt(random, 1, 8);
  return {
    type: 'call', id, campaign_id: campaignId, lead_id: leadId,
    started_at: new Date(startedAt).toISOString(),
    ended_at: new Date(startedAt + ringSeconds * 1000).toISOString(),
    result, billsec: 0, hangup_cause: cause,
  };
}

export async function* demoLines(options?: DemoOptions): AsyncGenerator<string> {
  for (const record of demoRecords(options)) yield JSON.stringify(record);
}
