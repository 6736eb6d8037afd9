// The claim-date rule is written without zod (the renderer reads date cells before the schemas load): it must accept
// exactly the dates zod's ISO date accepted, which the store's schemas used before.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isClaimDate, isIsoDate } from '../../src/shared/claimDate';

const zodIsoDate = z.iso.date();
const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isIsoDate', () => {
  it('agrees with zod on every YYYY-MM-DD string (days 00–32, months 00–13) of years around leap-rule edges', () => {
    let accepted = 0;
    for (const year of [0, 4, 99, 100, 400, 1582, 1899, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const ours = isIsoDate(text);
          expect(ours, text).toBe(zodIsoDate.safeParse(text).success);
          if (ours) accepted++;
        }
      }
    }
    // 15 years, 6 of them leap (0, 4, 400, 2000, 2024, 2400; not 100, 1900, 2100): 9 × 365 + 6 × 366
    expect(accepted).toBe(9 * 365 + 6 * 366);
  });

  it('refuses what is not exactly YYYY-MM-DD', () => {
    for (const text of ['2024-2-29', '2024-02-29 ', ' 2024-02-29', '20240229', '2024/02/29', '+2024-02-29', '2024-02-29T00:00:00Z', '２０２４-02-29', ''])
      expect(isIsoDate(text), JSON.stringify(text)).toBe(false);
  });
});

describe('isClaimDate', () => {
  it('takes a year, a year and month, or a whole date that exists', () => {
    expect(['2024', '2024-02', '2024-12', '2024-02-29'].map(isClaimDate)).toEqual([true, true, true, true]);
    expect(['2024-00', '2024-13', '2023-02-29', '24', '2024-1', 'May 2024'].map(isClaimDate)).toEqual([false, false, false, false, false, false]);
  });
});
