// What the window shows first — the catalog and the first page of figures — asked for by the entry module before
// the rest of the app (the grid, the charts) is loaded and built, so the workbook answers while the browser works.
import type { ContestedDate, FigureList, WorkbenchApi } from '../../shared/api';
import type { FigureFilterInput } from '../../shared/schemas';
import { type CatalogData, fetchCatalog } from './catalog';
import { isFirstStart } from './firstStart';

/** The figures grid's first page: small, so the first rows are drawn at once; the rest follow in larger pages. */
export const FIRST_PAGE = 300;

export function firstPageQuery(filter: FigureFilterInput): NonNullable<FigureFilterInput> {
  return { ...(filter ?? {}), limit: FIRST_PAGE, offset: undefined, after: undefined };
}

export interface FirstPage {
  /** the query asked (JSON), so a grid whose filter changed meanwhile asks again */
  query: string;
  page: Promise<FigureList>;
}

export interface FirstData {
  catalog: Promise<CatalogData>;
  /** null on the first start: the grid's filter is known only once the contested day is */
  figures: FirstPage | null;
  /** on the first start (see firstStart.ts), the day the first screen shows */
  moment: Promise<ContestedDate | null> | null;
}

/** Asks for both at once; a failure is reported by whoever uses the answer (it is marked handled here). */
export function requestFirstData(api: WorkbenchApi, filter: FigureFilterInput = {}, firstStart = isFirstStart()): FirstData {
  // The first request first: the workbook answers in the order asked, and the catalog's six requests (the
  // citations among them, which can be large) would otherwise hold it back.
  if (firstStart) {
    const moment = api.latestContestedDate({});
    moment.catch(() => undefined);
    const catalog = fetchCatalog(api);
    catalog.catch(() => undefined);
    return { catalog, figures: null, moment };
  }
  const query = firstPageQuery(filter);
  const page = api.listFigures(query);
  const catalog = fetchCatalog(api);
  catalog.catch(() => undefined);
  page.catch(() => undefined);
  return { catalog, figures: { query: JSON.stringify(query), page }, moment: null };
}
