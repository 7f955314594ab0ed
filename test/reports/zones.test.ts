import { describe, expect, it } from 'vitest';
import { offsetMinutes } from '../../src/reports/offsets.js';
import { knownZone, resolveTimezone } from '../../src/reports/window.js';

/** The spellings of a name with the letters picked by `mask` in upper case and the rest in lower. */
const spelling = (name: string, mask: number) => {
  let letter = 0;
  return [...name].map((char) => (/[a-z]/i.test(char) ? ((mask >> letter++) & 1 ? char.toUpperCase() : char.toLowerCase()) : char)).join('');
};

describe('time zone names', () => {
  it('keep the spelling a client sent for the first 1,000 names, then become ICU\'s name, so caches per name stay bounded', () => {
    const first = Array.from({ length: 1_000 }, (_, mask) => spelling('America/New_York', mask));
    expect(new Set(first).size).toBe(1_000);
    for (const name of first) expect(knownZone(name)).toBe(name);
    expect(knownZone(first[123]!)).toBe(first[123]);
    expect(knownZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(resolveTimezone('asia/ho_chi_minh')).toBe('Asia/Saigon');
    expect(knownZone('Mars/Olympus_Mons')).toBeNull();
    expect(() => resolveTimezone('Mars/Olympus_Mons')).toThrow('Argument "timezone" must be an IANA time zone name, got "Mars/Olympus_Mons"');
  });

  it('have the offsets luxon gives, to the second', () => {
    expect(offsetMinutes('Asia/Kathmandu', Date.UTC(2026, 5, 1))).toBe(345);
    // New York sets its clocks back at 06:00 UTC on 2026-11-01.
    expect(offsetMinutes('America/New_York', Date.UTC(2026, 10, 1, 5, 59))).toBe(-240);
    expect(offsetMinutes('America/New_York', Date.UTC(2026, 10, 1, 6))).toBe(-300);
    expect(offsetMinutes('UTC', 0)).toBe(0);
    // Monrovia kept local mean time, -0:44:30, until 1972.
    expect(offsetMinutes('Africa/Monrovia', Date.UTC(1971, 0, 1))).toBe(-44.5);
  });
});
