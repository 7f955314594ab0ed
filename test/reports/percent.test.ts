import { describe, expect, it } from 'vitest';
import { buildFunnel } from '../../src/reports/funnel.js';
import { buildDtmfReport, buildHangupReport } from '../../src/reports/distributions.js';
import { averageWithTwoDecimals, apportionPercentages, percentage, roundedAverage } from '../../src/reports/percent.js';

describe('percentage', () => {
  it('reproduces the REST samples', () => {
    expect(percentage(3120, 4823)).toBe('64.69'); // kpis answer_rate_pct
    expect(percentage(780, 1200)).toBe('65.00'); // trend 2026-06-28
    expect(percentage(1098, 1612)).toBe('68.11'); // trend 2026-06-29
    expect(percentage(115, 3120)).toBe('3.69'); // dtmf no_input_rate_pct
    expect(percentage(102, 156)).toBe('65.38'); // heatmap Monday 09:00
    expect(percentage(121, 178)).toBe('67.98');
    expect(percentage(134, 201)).toBe('66.67');
  });

  it('rounds half up exactly, without float drift', () => {
    expect(percentage(1, 8)).toBe('12.50');
    expect(percentage(1, 16)).toBe('6.25');
    expect(percentage(1, 32)).toBe('3.13'); // 3.125 → up
    expect(percentage(1, 3)).toBe('33.33');
    expect(percentage(2, 3)).toBe('66.67');
    expect(percentage(1005, 100_000)).toBe('1.01'); // 1.005: a float would give 1.00
    expect(percentage(0, 7)).toBe('0.00');
    expect(percentage(7, 7)).toBe('100.00');
  });

  it('is null when the denominator is 0', () => {
    expect(percentage(0, 0)).toBeNull();
  });
});

describe('averages', () => {
  it('round half up to whole seconds and to two decimals', () => {
    expect(roundedAverage(131_040, 3120)).toBe(42);
    expect(roundedAverage(5, 2)).toBe(3);
    expect(roundedAverage(3, 2)).toBe(2);
    expect(roundedAverage(0, 0)).toBeNull();
    expect(averageWithTwoDecimals(131_040, 3120)).toBe('42.00');
    expect(averageWithTwoDecimals(1, 8)).toBe('0.13');
    expect(averageWithTwoDecimals(10, 0)).toBeNull();
  });
});

describe('apportionPercentages', () => {
  it('splits the REST DTMF sample into 61.23 / 31.61 / 7.16', () => {
    expect(apportionPercentages([1840, 950, 215])).toEqual(['61.23', '31.61', '7.16']);
  });

  it('always sums to 100.00 and gives equal remainders to the item listed first', () => {
    expect(apportionPercentages([1, 1, 1])).toEqual(['33.34', '33.33', '33.33']);
    expect(apportionPercentages([1, 1, 1, 1, 1, 1])).toEqual(['16.67', '16.67', '16.67', '16.67', '16.66', '16.66']);
    expect(apportionPercentages([5])).toEqual(['100.00']);
    expect(apportionPercentages([0, 0])).toEqual([null, null]);
  });
});

describe('buildHangupReport', () => {
  it('reproduces the REST sample, ordered by count', () => {
    const report = buildHangupReport([
      { key: 'RECOVERY_ON_TIMER', count: 87 },
      { key: 'NORMAL_CLEARING', count: 3120 },
      { key: 'USER_BUSY', count: 287 },
      { key: 'NO_ANSWER', count: 1234 },
      { key: 'CALL_REJECTED', count: 95 },
    ]);
    expect(report).toEqual({
      totalCalls: 4823,
      byHangupCause: [
        { hangupCause: 'NORMAL_CLEARING', count: 3120, pct: '64.69' },
        { hangupCause: 'NO_ANSWER', count: 1234, pct: '25.59' },
        { hangupCause: 'USER_BUSY', count: 287, pct: '5.95' },
        { hangupCause: 'CALL_REJECTED', count: 95, pct: '1.97' },
        { hangupCause: 'RECOVERY_ON_TIMER', count: 87, pct: '1.80' },
      ],
    });
  });

  it('orders equal counts by cause name', () => {
    const report = buildHangupReport([{ key: 'USER_BUSY', count: 1 }, { key: 'NO_ANSWER', count: 1 }]);
    expect(report.byHangupCause.map((cause) => [cause.hangupCause, cause.pct])).toEqual([['NO_ANSWER', '50.00'], ['USER_BUSY', '50.00']]);
  });
});

describe('buildDtmfReport', () => {
  it('reproduces the REST sample', () => {
    const report = buildDtmfReport(
      [{ key: '2', count: 950 }, { key: 'no_input', count: 115 }, { key: '1', count: 1840 }, { key: '0', count: 215 }],
      [{ key: 'intro → press_2 → playback_polite → hangup', count: 950 }, { key: 'intro → press_1 → queue_sales', count: 1840 }],
      [{ digit: '1', label: 'Đồng ý chuyển agent' }, { digit: '2', label: 'Không quan tâm' }, { digit: '0', label: 'Nghe lại' }],
    );
    expect(report).toEqual({
      totalAnswered: 3120,
      withDtmfInput: 3005,
      noInput: 115,
      noInputRatePct: '3.69',
      byDigit: [
        { digit: '1', count: 1840, pct: '61.23', label: 'Đồng ý chuyển agent' },
        { digit: '2', count: 950, pct: '31.61', label: 'Không quan tâm' },
        { digit: '0', count: 215, pct: '7.16', label: 'Nghe lại' },
      ],
      byScriptPath: [
        { path: 'intro → press_1 → queue_sales', count: 1840 },
        { path: 'intro → press_2 → playback_polite → hangup', count: 950 },
      ],
    });
  });
});

describe('buildFunnel', () => {
  it('reproduces the REST sample drop rates', () => {
    expect(
      buildFunnel({ imported: 5000, dialed: 4823, answered: 3120, pressedValidDtmf: 3005, transferred: 1840, disposed: 1640 }),
    ).toEqual([
      { stage: 'Imported lead', count: 5000, dropRatePct: null },
      { stage: 'Dialed', count: 4823, dropRatePct: '3.54' },
      { stage: 'Answered', count: 3120, dropRatePct: '35.31' },
      { stage: 'Pressed valid DTMF', count: 3005, dropRatePct: '3.69' },
      { stage: 'Transferred to agent', count: 1840, dropRatePct: '38.77' },
      { stage: 'Agent disposed', count: 1640, dropRatePct: '10.87' },
    ]);
  });

  it('has null drop rates after an empty stage', () => {
    expect(buildFunnel({ imported: 0, dialed: 0, answered: 0, pressedValidDtmf: 0, transferred: 0, disposed: 0 }).map((s) => s.dropRatePct)).toEqual([
      null, null, null, null, null, null,
    ]);
  });
});
