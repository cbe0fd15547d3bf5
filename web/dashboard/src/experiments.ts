// Offer experiments (issue 16): the shop's experiments, one experiment's results under the
// sequential test (running, winner or futility; each challenger against the control with its
// always-valid interval and p-value), and for admins: stop, and adopt a variant as the shop's
// offer (the winner, or any variant named) in one call. An audience picked here (issue 16) cuts
// the holdout and an experiment's results to the audience's promoters (`audience=`).
import { api, ApiError, get, query } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { date, int, minorToAmount } from './format';
import { audiencesPanel } from './audiences';
import { audienceSelect } from './audience_select';
import { holdoutPanel } from './holdout';
import { table } from './table';

interface Variant {
  variant: number;
  name: string;
  discount_kind: 'percent' | 'amount';
  discount_value: number;
  reward_minor: number;
  share_text: string;
}

interface Experiment {
  id: number;
  name: string;
  metric: 'referred_orders' | 'net_revenue';
  minimum_effect: number;
  window_days: number;
  status: 'running' | 'stopped' | 'adopted';
  created_at: string;
  stopped_at: string | null;
  adopted_variant: number | null;
  variants: Variant[];
}

interface Results {
  decision: 'running' | 'winner' | 'futility';
  winner: number | null;
  decided_at: string | null;
  evaluated_until: string;
  unit: 'orders' | 'minor_units';
  currency: string;
  alpha: number;
  min_promoters_per_variant: number;
  variants: { variant: number; name: string; promoters: number; complete: number; mean: number | null }[];
  comparisons: { variant: number; difference: number | null; ci_low: number | null; ci_high: number | null; p_value: number | null }[];
  method: string;
  audience?: AudienceRef;
}

type AudienceRef = { id: number; name: string } | null | undefined;

// The audience picker of both pages: Apply reloads `path` with `audience=` (none: everyone).
function audienceControls(ctx: Ctx, path: string, audience: string): HTMLFormElement {
  const audienceIn = audienceSelect('audience', audience);
  const form = h('form', { class: 'controls', 'aria-label': 'Cut by audience' }, field('Audience', audienceIn), h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`${path}${query({ audience: audienceIn.value })}`);
  });
  return form;
}

function cutNote(a: AudienceRef): HTMLElement[] {
  return a ? [h('p', { class: 'note', 'data-audience': String(a.id) }, 'Only the promoters of the audience ', h('strong', null, a.name), '.')] : [];
}

const METRIC = { referred_orders: 'Referred orders per promoter', net_revenue: 'Net revenue per promoter' };

function offer(v: Variant, currency: string): string {
  const friend = v.discount_kind === 'percent' ? `${v.discount_value}%` : minorToAmount(v.discount_value, currency);
  return `Friends get ${friend}; promoter earns ${minorToAmount(v.reward_minor, currency)}`;
}

function value(n: number | null, unit: Results['unit'], currency: string): string {
  if (n === null) return '–';
  return unit === 'minor_units' ? minorToAmount(n, currency) : n.toFixed(3);
}

function verdict(e: Experiment, r: Results): string {
  const name = (i: number | null) => (i === null ? '' : (e.variants[i]?.name ?? `variant ${i}`));
  if (r.decision === 'winner') return `Winner: ${name(r.winner)} (decided ${date(r.decided_at)}).`;
  if (r.decision === 'futility') return `No variant differs by ${e.minimum_effect} or more: stopped for futility (${date(r.decided_at)}).`;
  return `Running: no decision yet (each variant needs ${r.min_promoters_per_variant} promoters whose ${e.window_days}-day window is over).`;
}

async function list(ctx: Ctx): Promise<void> {
  const audience = ctx.query.get('audience') || '';
  const { experiments } = await get<{ experiments: Experiment[] }>('/api/v1/experiments');
  const cut = query({ audience });
  ctx.main.append(
    h('h1', null, 'Experiments'),
    audienceControls(ctx, '/experiments', audience),
    h('p', null, 'Offer experiments split newly activated promoters among offers and test which brings more, safe to check daily. Start one through the API (POST /api/v1/experiments).'),
    table<Experiment>(
      'Experiments',
      [
        { label: 'Name', cell: (e) => h('a', { href: `/experiments/${e.id}${cut}` }, e.name) },
        { label: 'Status', cell: (e) => e.status },
        { label: 'Metric', cell: (e) => METRIC[e.metric] },
        { label: 'Variants', cell: (e) => String(e.variants.length), numeric: true },
        { label: 'Started', cell: (e) => date(e.created_at) },
      ],
      experiments,
      'No experiments yet.',
    ),
    await holdoutPanel(audience),
    await audiencesPanel(ctx, (await get<{ currency: string }>('/api/v1/settings')).currency),
  );
}

async function detail(ctx: Ctx): Promise<void> {
  const audience = ctx.query.get('audience') || '';
  let e: Experiment & { results: Results };
  try {
    e = await get<Experiment & { results: Results }>(
      `/api/v1/experiments/${encodeURIComponent(ctx.params.id)}${query({ audience })}`,
    );
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      ctx.main.append(h('h1', null, 'Experiment'), h('p', null, 'No such experiment in this shop.'));
      return;
    }
    throw err;
  }
  const r = e.results;
  const out = status();
  const act = (label: string, path: string, body?: unknown) => {
    const b = h('button', { type: 'button', disabled: !ctx.canWrite }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const done = await api<Experiment>('POST', `/api/v1/experiments/${e.id}/${path}`, body);
        say(out, done.status === 'adopted' ? `Adopted: ${e.variants[done.adopted_variant ?? 0]?.name} is now the shop's offer.` : 'Stopped.');
        ctx.navigate(`/experiments/${e.id}`, true);
      } catch (err) {
        say(out, err instanceof Error ? err.message : String(err), true);
        b.disabled = !ctx.canWrite;
      }
    });
    return b;
  };
  const byVariant = new Map(r.comparisons.map((c) => [c.variant, c]));
  const rows = e.variants.map((v) => ({ v, figures: r.variants[v.variant], c: byVariant.get(v.variant) }));
  ctx.main.append(
    h('p', null, h('a', { href: `/experiments${query({ audience })}` }, '← Experiments')),
    h('h1', null, e.name),
    audienceControls(ctx, `/experiments/${e.id}`, audience),
    ...cutNote(r.audience),
    h('p', { id: 'experiment-status' }, `Status: ${e.status}. ${METRIC[e.metric]}, counted ${e.window_days} days after activation.`),
    h('p', { id: 'experiment-verdict', class: 'verdict', 'data-decision': r.decision }, verdict(e, r)),
    table<(typeof rows)[number]>(
      'Variants',
      [
        { label: 'Variant', cell: (x) => (x.v.variant === 0 ? `${x.v.name} (control)` : x.v.name) },
        { label: 'Offer', cell: (x) => offer(x.v, r.currency) },
        { label: 'Promoters', cell: (x) => int(x.figures?.promoters ?? 0), numeric: true },
        { label: 'Counted', cell: (x) => int(x.figures?.complete ?? 0), numeric: true },
        { label: 'Mean', cell: (x) => value(x.figures?.mean ?? null, r.unit, r.currency), numeric: true },
        { label: 'Difference to control', cell: (x) => (x.c ? value(x.c.difference, r.unit, r.currency) : '–'), numeric: true },
        {
          label: 'Always-valid 95% interval',
          cell: (x) => (x.c && x.c.ci_low !== null ? `${value(x.c.ci_low, r.unit, r.currency)} to ${value(x.c.ci_high, r.unit, r.currency)}` : '–'),
        },
        { label: 'p', cell: (x) => (x.c && x.c.p_value !== null ? x.c.p_value.toFixed(4) : '–'), numeric: true },
        {
          label: 'Adopt',
          cell: (x) => (e.status === 'adopted' ? (e.adopted_variant === x.v.variant ? 'adopted' : '') : act(`Adopt ${x.v.name}`, 'adopt', { variant: x.v.variant })),
        },
      ],
      rows,
    ),
    h('p', { class: 'hint' }, r.method),
    ...(e.status === 'running' ? [act('Stop experiment', 'stop')] : []),
    out,
  );
}

page({ pattern: '/experiments', title: 'Experiments', nav: 'Experiments', navOrder: 50, render: list });
page({ pattern: '/experiments/{id}', title: 'Experiment', render: detail });
