// The dashboard: pickers in the URL, one campaignUpdated subscription for everything on screen.
import { forgetToken, liveConnection, query, saveToken, savedToken, subscribe, TokenRefused } from './api.js';
import { renderFunnel, renderHangup, renderHeatmap, renderKpis, renderTrend } from './render.js';
import { clockTime, DEFAULT_ZONE, windowVariables, zoneNames } from './window.js';

const CAMPAIGNS = /* GraphQL */ `
  query DashboardCampaigns {
    campaigns(first: 100) { edges { node { id name } } }
  }
`;

// The gateway computes each distinct (selection, variables) once per change, however many
// dashboards watch it, and pushes at most once a second.
const LIVE = /* GraphQL */ `
  subscription Dashboard(
    $id: ID!, $zone: TimeZone, $from: DateTime, $to: DateTime, $fromDay: Date, $toDay: Date,
    $granularity: TrendGranularity!, $metric: HeatmapMetric!
  ) {
    campaignUpdated(id: $id) {
      id
      name
      dataUpdatedAt
      kpis(from: $from, to: $to, timezone: $zone) {
        dialed answered answerRatePct avgCallDurationSec totalTalkTimeSec transferToQueueCount
        transferSuccessRatePct totalLeads noAnswer busy failed abandoned
        talkTimePercentiles { p50 p90 }
        previousPeriod { dialed answered answerRatePct }
      }
      trend(from: $fromDay, to: $toDay, granularity: $granularity, timezone: $zone) { bucket dialed answered answerRatePct }
      heatmap(from: $from, to: $to, timezone: $zone, metric: $metric) { dayOfWeek hour dialed answered answerRatePct value }
      funnel(from: $from, to: $to) { stage count dropRatePct }
      hangup(from: $from, to: $to) { totalCalls byHangupCause { hangupCause count pct } }
    }
  }
`;

const $ = (id) => document.getElementById(id);
const pickers = { campaign: $('campaign'), zone: $('zone'), from: $('from'), to: $('to'), granularity: $('granularity'), metric: $('heatmap-metric') };

let token;
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
  return params.get('campaign');
}

function writeUrl() {
  const params = new URLSearchParams();
  for (const [name, picker] of Object.entries(pickers)) if (picker.value) params.set(name, picker.value);
  history.replaceState(null, '', `?${params}`);
}

/** (Re)subscribes with the pickers' current values; the first push arrives at once. */
function follow() {
  stop();
  writeUrl();
  showError('');
  const variables = {
    id: pickers.campaign.value,
    ...windowVariables({ zone: pickers.zone.value, from: pickers.from.value, to: pickers.to.value, granularity: pickers.granularity.value, metric: pickers.metric.value }),
  };
  stop = subscribe(client, LIVE, variables, {
    onData: ({ campaignUpdated: campaign }) => {
      $('reports').hidden = false;
      renderKpis($('kpis'), campaign.kpis);
      renderTrend($('trend-chart'), campaign.trend);
      renderHeatmap($('heatmap'), campaign.heatmap, variables.metric);
      renderFunnel($('funnel'), campaign.funnel);
      renderHangup($('hangup'), campaign.hangup);
      const changed = campaign.dataUpdatedAt ? `, data changed ${clockTime(campaign.dataUpdatedAt, variables.zone)}` : '';
      setStatus(`Live · updated ${clockTime(new Date().toISOString(), variables.zone)}${changed}`, 'live');
    },
    onError: (error) => (error instanceof TokenRefused ? askForToken(error.message) : showError(error.message)),
  });
}

async function connect() {
  $('token-form').hidden = true;
  setStatus('Connecting…', 'off');
  let campaigns;
  try {
    campaigns = (await query(token, CAMPAIGNS)).campaigns.edges.map((edge) => edge.node);
  } catch (error) {
    if (error instanceof TokenRefused) return askForToken(error.message);
    return showError(error.message);
  }
  if (campaigns.length === 0) return showError('This tenant has no campaigns yet: import some calls first.');
  const wanted = readUrl();
  pickers.campaign.replaceChildren(...campaigns.map((campaign) => new Option(`${campaign.name} (#${campaign.id})`, campaign.id)));
  pickers.campaign.value = campaigns.some((campaign) => campaign.id === wanted) ? wanted : campaigns[0].id;
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
