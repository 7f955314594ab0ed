// Draws the reports of one campaignUpdated result. Every function takes the numbers as the gateway
// sends them and only formats them: no report math happens in the browser.

const count = new Intl.NumberFormat('en-US');
const percent = (value) => (value == null ? '–' : `${value} %`);
const seconds = (value) => (value == null ? '–' : `${count.format(value)} s`);
const duration = (total) => {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return `${count.format(hours)} h ${String(minutes).padStart(2, '0')} min`;
};

const talkTime = ({ p50, p90 }) => (p50 == null ? '–' : `${count.format(p50)} s / ${count.format(p90)} s`);

/** [field, label, format, shown beside the previous period's value]; a function field reads nested numbers. */
const KPIS = [
  ['dialed', 'Dialed', count.format, true],
  ['answered', 'Answered', count.format, true],
  ['answerRatePct', 'Answer rate', percent, true],
  ['avgCallDurationSec', 'Average talk time', seconds],
  ['talkTimePercentiles', 'Talk time p50 / p90', talkTime],
  ['totalTalkTimeSec', 'Total talk time', duration],
  ['transferToQueueCount', 'Transferred to agents', count.format],
  ['transferSuccessRatePct', 'Transfer success rate', percent],
  ['totalLeads', 'Leads', count.format],
  ['noAnswer', 'No answer', count.format],
  ['busy', 'Busy', count.format],
  ['failed', 'Failed', count.format],
  ['abandoned', 'Abandoned', count.format],
];

/** Builds an element with attributes and children (strings become text, never HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A value that changed since the last push flashes once. */
function setText(element, text) {
  if (element.textContent === text) return;
  const first = element.textContent === '';
  element.textContent = text;
  if (first) return;
  element.classList.remove('changed');
  void element.offsetWidth;
  element.classList.add('changed');
}

/** `withPreviousPeriod`: whether the window just before means anything (not when it ends before the campaign began). */
export function renderKpis(section, kpis, withPreviousPeriod) {
  if (section.childElementCount === 0) {
    for (const [field, label, , withPrevious] of KPIS) {
      const card = h('div', { class: 'kpi' }, h('span', { class: 'label' }, label), h('span', { class: 'value', 'data-kpi': field }));
      if (withPrevious) card.append(h('span', { class: 'previous', title: 'The window of equal length just before' }, 'previous period ', h('span', { 'data-previous': field })));
      section.append(card);
    }
  }
  for (const [field, , format, withPrevious] of KPIS) {
    setText(section.querySelector(`[data-kpi="${field}"]`), format(kpis[field]));
    if (withPrevious) setText(section.querySelector(`[data-previous="${field}"]`), withPreviousPeriod ? format(kpis.previousPeriod[field]) : '—');
  }
}

/** Hour and quarter-hour buckets are labelled 06-28 09:15; days, weeks and months keep their label. */
const bucketLabel = (bucket) => (bucket.length > 10 ? `${bucket.slice(5, 10)} ${bucket.slice(11, 16)}` : bucket);

/** Bars of dialed and answered attempts, a line of the answer rate on its own axis (Chart.js). */
export function renderTrend(canvas, buckets) {
  const labels = buckets.map((bucket) => bucketLabel(bucket.bucket));
  const series = [
    buckets.map((bucket) => bucket.dialed),
    buckets.map((bucket) => bucket.answered),
    buckets.map((bucket) => (bucket.answerRatePct == null ? null : Number(bucket.answerRatePct))),
  ];
  const chart = globalThis.Chart.getChart(canvas);
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets.forEach((dataset, index) => (dataset.data = series[index]));
    chart.update('none');
    return;
  }
  new globalThis.Chart(canvas, {
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'Dialed', data: series[0], backgroundColor: '#9ec5f0', yAxisID: 'attempts' },
        { type: 'bar', label: 'Answered', data: series[1], backgroundColor: '#2f7ed8', yAxisID: 'attempts' },
        { type: 'line', label: 'Answer rate %', data: series[2], borderColor: '#e0772b', backgroundColor: '#e0772b', pointRadius: 2, yAxisID: 'rate' },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        attempts: { position: 'left', beginAtZero: true, title: { display: true, text: 'attempts' } },
        rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'answer rate %' } },
      },
    },
  });
}

/** Rows Monday first; the gateway sends Sunday (0) first. */
const WEEKDAYS = [[1, 'Mon'], [2, 'Tue'], [3, 'Wed'], [4, 'Thu'], [5, 'Fri'], [6, 'Sat'], [0, 'Sun']];

/** A light-to-dark blue for a share of the largest value; grey for an empty cell. */
const shade = (share) => (share == null ? '#f1f1f1' : `hsl(212 75% ${Math.round(96 - share * 58)}%)`);

export function renderHeatmap(table, cells, metric) {
  const isRate = metric === 'ANSWER_RATE_PCT';
  const largest = isRate ? 100 : Math.max(1, ...cells.map((cell) => cell.value ?? 0));
  const hours = Array.from({ length: 24 }, (_, hour) => h('th', { scope: 'col' }, String(hour)));
  const rows = WEEKDAYS.map(([day, name]) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, name),
      ...cells
        .filter((cell) => cell.dayOfWeek === day)
        .map((cell) => {
          const share = cell.value == null ? null : cell.value / largest;
          const td = h(
            'td',
            {
              'data-day': String(cell.dayOfWeek),
              'data-hour': String(cell.hour),
              title: `${name} ${String(cell.hour).padStart(2, '0')}:00 — ${count.format(cell.dialed)} dialed, ${count.format(cell.answered)} answered, answer rate ${percent(cell.answerRatePct)}`,
            },
            cell.value == null ? '' : isRate ? cell.answerRatePct : count.format(cell.value),
          );
          td.style.background = shade(share);
          if (share != null && share > 0.55) td.classList.add('dark');
          return td;
        }),
    ),
  );
  table.replaceChildren(h('thead', {}, h('tr', {}, h('th'), ...hours)), h('tbody', {}, ...rows));
}

/**
 * Rows of a label, a bar as long as the share of the largest value, the value (as `shown`, else a
 * count) and a note; `key` names the row in its `dataName` attribute (the label by default), and
 * the `current` row stands out.
 */
function renderBars(table, rows, dataName) {
  const largest = Math.max(1, ...rows.map((row) => row.value ?? 0));
  table.replaceChildren(
    ...rows.map((row) => {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${((row.value ?? 0) / largest) * 100}%`;
      const tr = h(
        'tr',
        { [dataName]: row.key ?? row.label },
        h('th', { scope: 'row' }, row.label),
        h('td', { class: 'track' }, bar),
        h('td', { class: 'number' }, row.shown ?? count.format(row.value)),
        h('td', { class: 'number note' }, row.note ?? ''),
      );
      if (row.current) tr.classList.add('current');
      return tr;
    }),
  );
}

export function renderFunnel(table, stages) {
  renderBars(
    table,
    stages.map((stage) => ({ label: stage.stage, value: stage.count, note: stage.dropRatePct == null ? '' : `${stage.dropRatePct} % lost` })),
    'data-stage',
  );
}

export function renderHangup(table, hangup) {
  renderBars(
    table,
    hangup.byHangupCause.map((cause) => ({ label: cause.hangupCause, value: cause.count, note: `${cause.pct} %` })),
    'data-cause',
  );
}

/** The keys callees pressed, by key with the script's label, the share without a key, and the paths through the script. */
export function renderDtmf(section, dtmf) {
  const summary = section.querySelector('#dtmf-summary');
  summary.dataset.noInputRatePct = dtmf.noInputRatePct ?? '';
  setText(
    summary,
    `${count.format(dtmf.totalAnswered)} answered · ${count.format(dtmf.withDtmfInput)} pressed a key · ` +
      `${count.format(dtmf.noInput)} no input (${percent(dtmf.noInputRatePct)})`,
  );
  renderBars(
    section.querySelector('#dtmf-digits'),
    dtmf.byDigit.map((digit) => ({ key: digit.digit, label: digit.label ? `${digit.digit} · ${digit.label}` : digit.digit, value: digit.count, note: `${digit.pct} %` })),
    'data-digit',
  );
  renderBars(section.querySelector('#dtmf-paths'), dtmf.byScriptPath.map((path) => ({ label: path.path, value: path.count })), 'data-path');
}

/** The tenant's campaigns on one metric, best first as the gateway orders them; the one on screen stands out. */
export function renderComparison(table, rows, metric, currentId) {
  const unit = metric === 'AVG_DURATION_SEC' ? ' s' : ' %';
  renderBars(
    table,
    rows.map((row) => ({
      key: row.campaignId,
      label: row.campaignName,
      value: row.metricValue === null ? null : Number(row.metricValue),
      shown: row.metricValue === null ? '–' : `${row.metricValue}${unit}`,
      current: row.campaignId === currentId,
    })),
    'data-campaign',
  );
}
