import { ndjson } from './testkit.js';

export const DTMF_ACTIONS = [
  { digit: '1', label: 'Đồng ý chuyển agent', action: 'queue_sales' },
  { digit: '2', label: 'Không quan tâm', action: 'playback_polite' },
  { digit: '0', label: 'Nghe lại', action: null },
];

export const campaign = (id: number, name: string, tenantId = 'acme', extra: object = {}) => ({
  type: 'campaign',
  id,
  tenant_id: tenantId,
  name,
  started_at: '2026-06-01T01:00:00Z',
  dtmf_actions: DTMF_ACTIONS,
  ...extra,
});

export const lead = (id: string, campaignId: number, extra: object = {}) => ({
  type: 'lead',
  id,
  campaign_id: campaignId,
  phone: '+84901234567',
  imported_at: '2026-06-01T00:30:00Z',
  ...extra,
});

export const call = (id: string, campaignId: number, leadId: string, extra: object = {}) => ({
  type: 'call',
  id,
  campaign_id: campaignId,
  lead_id: leadId,
  started_at: '2026-06-01T02:00:00Z',
  answered_at: '2026-06-01T02:00:09Z',
  ended_at: '2026-06-01T02:00:51Z',
  result: 'answered',
  billsec: 42,
  hangup_cause: 'NORMAL_CLEARING',
  dtmf: '1',
  script_path: ['intro', 'press_1', 'queue_sales'],
  transfer: { queue: 'sales', status: 'success' },
  disposition: 'interested',
  ...extra,
});

/** Two tenants: acme owns campaigns 5, 8 and 9; globex owns 12. */
export const TENANTS_FIXTURE = ndjson(
  campaign(5, 'Renewal Q3'),
  campaign(8, 'Cross-sell Q3'),
  campaign(9, 'Loyalty', 'acme', { started_at: null, dtmf_actions: [] }),
  campaign(12, 'Win-back churned', 'globex'),
  lead('L-1', 5),
  call('C-1', 5, 'L-1'),
);
