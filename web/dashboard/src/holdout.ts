// The holdout (issue 16), a panel of the Experiments page: promoters drawn into the holdout
// (thank-you, no code) against activated ones over the last 90 days, their own repeat purchases
// and revenue after the answer with intervals, and the differences with 95% intervals and p-values;
// only an audience's promoters with `audience` (issue 16).
import { get, query } from './api';
import { h } from './dom';
import { int, minorToAmount, Money, money } from './format';
import { table } from './table';

interface Bounds {
  low: number | null;
  high: number | null;
}

interface Group {
  promoters: number;
  repeat_buyers: number;
  repeat_share: { share: number | null; ci: Bounds };
  orders: number;
  revenue: Money;
  revenue_per_promoter_minor: { mean: number | null; ci: Bounds };
}

interface Difference {
  difference: number | null;
  ci: Bounds | null;
  z: number | null;
  p_value: number | null;
  significant: boolean;
}

export interface HoldoutReport {
  holdout_percent: number;
  currency: string;
  activated: Group;
  held_out: Group;
  repeat_difference: Difference;
  revenue_difference_minor: Difference;
  method: string;
  audience?: { id: number; name: string } | null;
}

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);
const pctRange = (b: Bounds | null) => (b && b.low !== null && b.high !== null ? `${pct(b.low)} to ${pct(b.high)}` : '–');

export async function holdoutPanel(audience = ''): Promise<HTMLElement> {
  const r = await get<HoldoutReport>(`/api/v1/holdout${query({ audience })}`);
  const cur = (v: number | null) => (v === null ? '–' : minorToAmount(v, r.currency));
  const curRange = (b: Bounds | null) => (b && b.low !== null && b.high !== null ? `${cur(b.low)} to ${cur(b.high)}` : '–');
  const groups = [
    { name: 'Activated', id: 'activated', g: r.activated },
    { name: 'Held out', id: 'held_out', g: r.held_out },
  ];
  const diffs = [
    { name: 'Share who ordered again', d: r.repeat_difference, show: (v: number | null) => pct(v), range: pctRange },
    { name: 'Revenue per promoter', d: r.revenue_difference_minor, show: cur, range: curRange },
  ];
  const verdict = (d: Difference) => (d.p_value === null || d.p_value >= 1 ? 'not enough data' : d.significant ? 'significant' : 'not significant');
  return h(
    'section',
    { id: 'holdout', 'data-percent': String(r.holdout_percent) },
    h('h2', null, 'Holdout'),
    r.audience ? h('p', { class: 'note', 'data-audience': String(r.audience.id) }, 'Only the promoters of the audience ', h('strong', null, r.audience.name), '.') : null,
    h(
      'p',
      null,
      r.holdout_percent > 0
        ? `${r.holdout_percent}% of new promoters are held out: they get the thank-you but no code. Their own purchases after answering, against activated promoters' (last 90 days):`
        : 'No holdout now (shop setting holdout_percent, 0–50). Promoters drawn while one ran, last 90 days:',
    ),
    table<(typeof groups)[number]>(
      'Holdout groups',
      [
        { label: 'Group', cell: (x) => h('span', { 'data-group': x.id }, x.name) },
        { label: 'Promoters', cell: (x) => h('span', { 'data-figure': `${x.id}-promoters` }, int(x.g.promoters)), numeric: true },
        { label: 'Ordered again', cell: (x) => h('span', { 'data-figure': `${x.id}-repeat` }, int(x.g.repeat_buyers)), numeric: true },
        { label: 'Share', cell: (x) => pct(x.g.repeat_share.share), numeric: true },
        { label: '95% interval', cell: (x) => pctRange(x.g.repeat_share.ci) },
        { label: 'Revenue after', cell: (x) => money(x.g.revenue), numeric: true },
        { label: 'Per promoter', cell: (x) => cur(x.g.revenue_per_promoter_minor.mean), numeric: true },
        { label: '95% interval', cell: (x) => curRange(x.g.revenue_per_promoter_minor.ci) },
      ],
      groups,
    ),
    table<(typeof diffs)[number]>(
      'Activated minus held out',
      [
        { label: 'Activated − held out', cell: (x) => x.name },
        { label: 'Difference', cell: (x) => x.show(x.d.difference), numeric: true },
        { label: '95% interval', cell: (x) => x.range(x.d.ci) },
        { label: 'p', cell: (x) => (x.d.p_value === null ? '–' : x.d.p_value.toFixed(4)), numeric: true },
        { label: 'Verdict', cell: (x) => verdict(x.d) },
      ],
      diffs,
    ),
    h('p', { class: 'hint' }, r.method),
  );
}
