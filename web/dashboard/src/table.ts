// Tables of API rows: a caption, column headings, cells as text.
import { Child, h } from './dom';

export interface Column<T> {
  label: string;
  cell: (row: T) => Child | Child[];
  numeric?: boolean;
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[], empty = 'Nothing yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h(
        'tbody',
        null,
        rows.map((r) => h('tr', null, columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.cell(r))))),
      ),
    ),
  );
}

// A value of unknown shape as text: objects as "key: value" pairs.
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('amount' in o && 'currency' in o) return `${o.amount} ${o.currency}`;
    return Object.entries(o)
      .map(([k, x]) => `${k}: ${show(x)}`)
      .join(', ');
  }
  return String(v);
}

// Rows of unknown shape (a detail page's lists): a column per key of the first row.
export function genericTable(caption: string, rows: Record<string, unknown>[], empty?: string): HTMLElement {
  const keys = rows.length ? Object.keys(rows[0]) : [];
  return table(
    caption,
    keys.map((k) => ({ label: k.replace(/_/g, ' '), cell: (r: Record<string, unknown>) => show(r[k]) })),
    rows,
    empty,
  );
}
