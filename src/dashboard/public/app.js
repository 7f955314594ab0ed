// The dashboard: pickers in the URL, one campaignUpdated subscription for everything on screen.
import { forgetToken, liveConnection, query, saveToken, savedToken, subscribe, TokenRefused } from './api.js';
// The ids of the dashboard's operations (src/dashboard/documents.ts): it sends ids, never text, so
// it works where the gateway runs trusted documents only.
import { Dashboard as LIVE, DashboardCampaigns as CAMPAIGNS, DashboardComparison as COMPARISON } from './documents.js';
import { renderComparison, renderDtmf, renderFunnel, renderHangup, renderHeatmap, renderKpis, renderTrend } from './render.js';
import { clockTime, DEFAULT_ZONE, localDay, windowVariables, zoneNames } from './window.js';

const $ = (id) => document.getElementById(id);
const pickers = {
  campaign: $('campaign'), zone: $('zone'), from: $('from'), to: $('to'), granularity: $('granularity'),
  metric: $('heatmap-metric'), compare: $('comparison-metric'),
};

let token;
/** The tenant's campaigns by id, with the span of their calls, which a whole-campaign view shows. */
let campaigns = new Map();
let client;
let stop = () => {};

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

const setStatus = (text, state) => {
  $('status').textContent = text;
  $('status').dataset.state = state;
};

/** Asks for a token (again, when one was refused). */
function askForToken(reason) {
  stop();
  client?.dispose();
  client = undefined;
  forgetToken();
  $('reports').hidden = true;
  $('token-reason').textContent = reason ?? $('token-reason').textContent;
  $('token-form').hidden = false;
  setStatus('Not connected', 'off');
}

/** Pickers ↔ the URL's query string, so a reload or a shared link shows the same view. */
function readUrl() {
  const params = new URLSearchParams(location.search);
  pickers.zone.value = params.get('zone') ?? DEFAULT_ZONE;
  pickers.from.value = params.get('from') ?? '';
  pickers.to.value = params.get('to') ?? '';
  pickers.granularity.value = params.get('granularity') ?? 'DAY';
  pickers.metric.value = params.get('metric') ?? 'DIALED';
  pickers.compare.value = params.get('compare') ?? 'ANSWER_RATE_PCT';
  return params.get('campaign');
}

function writeUrl() {
  const params = new URLSearchParams();
  for (const [name, picker] of Object.entries(pickers)) if (picker.value) params.set(name, picker.value);
  history.replaceState(null, '', `?${params}`);
}

/** The tenant's campaigns side by side on the picked metric, over the picked days (else each campaign's start to now). */
async function compare(variables) {
  const window = windowVariables({ zone: variables.zone, from: pickers.from.value, to: pickers.to.value });
  const { campaignComparison } = await query(token, COMPARISON, {
    ids: [...campaigns.keys()], from: window.from, to: window.to, metric: pickers.compare.value,
  });
  renderComparison($('comparison'), campaignComparison, pickers.compare.value, variables.id);
}

/** Says which days the reports cover when no dates are picked. */
function describeWindow(variables) {
  const whole = !pickers.from.value && !pickers.to.value;
  $('window-note').textContent = whole && variables.fromDay
    ? `Whole campaign: ${variables.fromDay} to ${variables.toDay}, its first to its latest call`
    : '';
}

/** (Re)subscribes with the pickers' current values; the first push arrives at once. */
function follow() {
  stop();
  writeUrl();
  showError('');
  const span = campaigns.get(pickers.campaign.value);
  const variables = {
    id: pickers.campaign.value,
    ...windowVariables({
      zone: pickers.zone.value, from: pickers.from.value, to: pickers.to.value, granularity: pickers.granularity.value,
      metric: pickers.metric.value, span: span?.firstCallAt ? span : undefined,
    }),
  };
  describeWindow(variables);
  stop = subscribe(client, LIVE, variables, {
    onData: ({ campaignUpdated: campaign }) => {
      // A whole-campaign view ends at the day of the latest call: follow calls of a later day.
      const moved = (picked, instant, day) => !picked && instant !== null && localDay(instant, variables.zone) !== day;
      campaigns.set(campaign.id, { ...campaigns.get(campaign.id), firstCallAt: campaign.firstCallAt, lastCallAt: campaign.lastCallAt });
      if (moved(pickers.from.value, campaign.firstCallAt, variables.fromDay) || moved(pickers.to.value, campaign.lastCallAt, variables.toDay)) {
        return follow();
      }
      $('reports').hidden = false;
      // The window of equal length just before means nothing when it ends before the campaign began.
      const start = campaign.startedAt ?? campaign.firstCallAt;
      const previousBeforeStart = !variables.from || (start !== null && Date.parse(variables.from) <= Date.parse(start));
      renderKpis($('kpis'), campaign.kpis, !previousBeforeStart);
      renderTrend($('trend-chart'), campaign.trend);
      renderHeatmap($('heatmap'), campaign.heatmap, variables.metric);
      renderFunnel($('funnel'), campaign.funnel);
      renderHangup($('hangup'), campaign.hangup);
      renderDtmf($('dtmf'), campaign.dtmf);
      compare(variables).catch((error) => showError(error.message));
      const changed = campaign.dataUpdatedAt ? `, data changed ${clockTime(campaign.dataUpdatedAt, variables.zone)}` : '';
      setStatus(`Live · updated ${clockTime(new Date().toISOString(), variables.zone)}${changed}`, 'live');
    },
    onError: (error) => (error instanceof TokenRefused ? askForToken(error.message) : showError(error.message)),
  });
}

async function connect() {
  $('token-form').hidden = true;
  setStatus('Connecting…', 'off');
  let list;
  try {
    list = (await query(token, CAMPAIGNS)).campaigns.edges.map((edge) => edge.node);
  } catch (error) {
    if (error instanceof TokenRefused) return askForToken(error.message);
    return showError(error.message);
  }
  if (list.length === 0) return showError('This tenant has no campaigns yet: import some calls first.');
  campaigns = new Map(list.map((campaign) => [campaign.id, campaign]));
  const wanted = readUrl();
  pickers.campaign.replaceChildren(...list.map((campaign) => new Option(`${campaign.name} (#${campaign.id})`, campaign.id)));
  pickers.campaign.value = campaigns.has(wanted) ? wanted : list[0].id;
  client = liveConnection(token, (state) => {
    if (state === 'reconnecting') setStatus('Reconnecting…', 'off');
  });
  follow();
}

pickers.zone.replaceChildren(...zoneNames().map((zone) => new Option(zone, zone)));
for (const picker of Object.values(pickers)) picker.addEventListener('change', () => client && follow());
$('whole-campaign').addEventListener('click', () => {
  pickers.from.value = '';
  pickers.to.value = '';
  if (client) follow();
});
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim().replace(/^Bearer\s+/i, '');
  saveToken(token);
  void connect();
});

token = savedToken();
if (token) void connect();
else askForToken();
