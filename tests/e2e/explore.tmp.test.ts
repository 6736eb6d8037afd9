import { describe, it } from 'vitest';
import { e2eSuite, screenshot } from './support/app';
const suite = e2eSuite();
describe('explore', () => {
  it('looks', async () => {
    const { page } = await suite.open();
    await screenshot(page, 'x-first-1440');
    await page.setViewportSize({ width: 900, height: 600 });
    for (const view of ['figures', 'library', 'compare']) {
      await page.locator(`.tab[data-view="${view}"]`).click();
      await page.waitForTimeout(1500);
      await screenshot(page, `x-${view}-900`);
      const info = await page.evaluate(() =>
        [...document.querySelectorAll('button, select, input, summary, a')]
          .filter((e) => (e as HTMLElement).offsetParent !== null)
          .map((e) => {
            const r = e.getBoundingClientRect();
            return `${Math.round(r.left)}-${Math.round(r.right)} ${e.tagName} ${(e.textContent || (e as HTMLInputElement).placeholder || e.getAttribute('aria-label') || '').trim().slice(0, 30)}`;
          })
          .filter((s) => Number(s.split(' ')[0]!.split('-')[1]) > 900),
      );
      console.log(view, JSON.stringify(info), await page.evaluate(() => document.documentElement.scrollWidth));
    }
  });
});
