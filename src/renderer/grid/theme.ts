// ag-grid's look: the Quartz theme in our colours and type, light or dark with the system (prefers-color-scheme).
import { themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontSize: 12,
  headerFontWeight: 600,
  rowHeight: 32,
  headerHeight: 36,
  spacing: 6,
  wrapperBorderRadius: 0,
  borderRadius: 4,
  accentColor: 'var(--accent)',
  backgroundColor: 'var(--surface)',
  foregroundColor: 'var(--text)',
  headerBackgroundColor: 'var(--surface-2)',
  oddRowBackgroundColor: 'var(--row-alt)',
  borderColor: 'var(--border)',
  selectedRowBackgroundColor: 'var(--row-selected)',
  rowHoverColor: 'var(--row-hover)',
});

/** ag-grid's colour scheme follows the same media query as our CSS. */
export function followColorScheme(): void {
  const query = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => (document.body.dataset.agThemeMode = query.matches ? 'dark' : 'light');
  apply();
  query.addEventListener('change', apply);
}
