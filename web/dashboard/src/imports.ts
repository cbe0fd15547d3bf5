// Import orders: a CSV file of past orders (Vouch's columns or Shopify's order export) uploaded to
// POST /api/v1/orders/import, and the server's row report: created, already known, failed (each
// failed line with its field and reason), surveyed. The example of a page a feature adds: this
// file's `page({...})` and one import in main.ts.
import { query, send } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { int } from './format';
import { table } from './table';

interface ImportReport {
  created: number;
  existing: number;
  failed: number;
  surveyed: number;
  stopped: boolean;
  problems: { line: number; field: string; detail: string }[];
}

function report(r: ImportReport): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'import-report', 'aria-label': 'Import report' },
    h('h2', null, 'Report'),
    h(
      'dl',
      { class: 'figures' },
      [
        ['created', 'New orders', r.created],
        ['existing', 'Already known', r.existing],
        ['failed', 'Failed rows', r.failed],
        ['surveyed', 'Surveys planned', r.surveyed],
      ].map(([key, label, n]) => h('div', { class: 'figure' }, h('dt', null, String(label)), h('dd', { 'data-figure': String(key) }, int(Number(n))))),
    ),
    r.stopped ? h('p', { class: 'error', role: 'alert' }, 'The import stopped early: too many rows failed.') : null,
    r.problems.length
      ? table<ImportReport['problems'][number]>(
          'Rows that failed',
          [
            { label: 'Line', cell: (p) => String(p.line), numeric: true },
            { label: 'Field', cell: (p) => p.field },
            { label: 'Problem', cell: (p) => p.detail },
          ],
          r.problems,
        )
      : null,
  );
}

function render(ctx: Ctx): void {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true, disabled: !ctx.canWrite });
  const recent = h('input', { type: 'text', name: 'survey_recent', placeholder: 'e.g. 30d', disabled: !ctx.canWrite });
  const submit = h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Import');
  const out = status();
  const host = h('div');
  const form = h(
    'form',
    { class: 'card', id: 'import-form' },
    h('p', null, "A CSV file with Vouch's order columns or Shopify's order export. Orders the shop already has are skipped; past orders get no survey unless they are within the span below."),
    field('CSV file', file),
    field('Survey orders placed within', recent, 'Optional: a span like 30d. Empty: no surveys for imported orders.'),
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return say(out, 'Choose a file first.', true);
    submit.disabled = true;
    say(out, `Importing ${f.name}…`);
    try {
      const r = await send<ImportReport>('POST', `/api/v1/orders/import${query({ survey_recent: recent.value })}`, f, 'text/csv');
      host.replaceChildren(report(r));
      say(out, `${f.name}: ${int(r.created)} new, ${int(r.existing)} known, ${int(r.failed)} failed.`);
    } catch (err) {
      say(out, err instanceof Error ? err.message : String(err), true);
    } finally {
      submit.disabled = !ctx.canWrite;
    }
  });
  ctx.main.append(h('h1', null, 'Import orders'));
  if (!ctx.canWrite) ctx.main.append(h('p', { class: 'notice' }, 'Only admins import orders.'));
  ctx.main.append(form, host);
}

page({ pattern: '/imports', title: 'Import orders', nav: 'Import orders', navOrder: 60, render });
