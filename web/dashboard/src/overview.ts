// Overview: NPS now with its margin of error, NPS over time with the interval as a band, the 0–10
// histogram, the funnel and the response rate, for a date range and (NPS) a segment and an
// audience (issue 16). Every figure is the API's for the same range, shown as the API rounds it.
import { get, query } from './api';
import { Ctx, page } from './app';
import { Bucket, funnel, histogram, npsChart } from './charts';
import { field, h } from './dom';
import { day, int, minorToAmount, oneDecimal, percent } from './format';
import { categorySelect } from './categories';
import { audienceSelect } from './audience_select';

interface Estimate {
  n: number;
  nps: number;
  margin: number;
  ci_low: number;
  ci_high: number;
  promoters: number;
  passives: number;
  detractors: number;
}
interface NpsReport {
  from: string;
  to: string;
  interval: string;
  overall: Estimate;
  scores?: number[];
  buckets: Bucket[];
  audience?: { id: number; name: string } | null;
}
interface Funnel {
  orders: number;
  surveys_scheduled: number;
  surveys_sent: number;
  responses: number;
  promoters: number;
  activated: number;
  share_visits: number;
  referred_orders: number;
  referred_revenue_minor: number;
  rewards: number;
  reward_cost_minor: number;
}
interface Settings {
  currency: string;
}
interface FollowupSummary {
  open: number;
  resolved: number;
  median_hours_to_resolve: number | null;
}

function figure(key: string, label: string, value: string, note?: string): HTMLElement {
  return h(
    'div',
    { class: 'figure' },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value', 'data-figure': key }, value),
    note ? h('span', { class: 'note' }, note) : null,
  );
}

async function render(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  const from = q.get('from') || day(29);
  const to = q.get('to') || day(0);
  const interval = q.get('interval') || '';
  const segment = q.get('segment') || '';
  const audience = q.get('audience') || '';

  const fromIn = h('input', { type: 'date', name: 'from', value: from, required: true });
  const toIn = h('input', { type: 'date', name: 'to', value: to, required: true });
  const intervalIn = h(
    'select',
    { name: 'interval' },
    ['', 'day', 'week', 'month'].map((v) =>
      h('option', { value: v, selected: v === interval }, v ? `By ${v}` : 'Automatic'),
    ),
  );
  let countsDone: (p: Promise<unknown>) => void = () => {};
  const segmentIn = categorySelect('segment', segment, new Promise<unknown>((r) => (countsDone = r)));
  const audienceIn = audienceSelect('audience', audience);
  const controls = h(
    'form',
    { class: 'controls', 'aria-label': 'Range and segment' },
    field('From', fromIn),
    field('To', toIn),
    field('Interval', intervalIn),
    field('Product category', segmentIn),
    field('Audience', audienceIn),
    h('button', { type: 'submit' }, 'Apply'),
  );
  controls.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(
      `/overview${query({ from: fromIn.value, to: toIn.value, interval: intervalIn.value, segment: segmentIn.value, audience: audienceIn.value })}`,
    );
  });
  ctx.main.append(h('h1', null, 'Overview'), controls);

  const range = { from, to };
  // The NPS comes from the daily rollup and answers at once; the funnel and the follow-up summary
  // count rows of the range and may take longer on a big shop: the NPS, its chart and histogram
  // show first (main[data-nps=shown]), the rest fills in (main[data-figures=shown]).
  const funnelP = get<Funnel>(`/api/v1/funnel${query(range)}`);
  const followupsP = get<FollowupSummary>(`/api/v1/followups/summary${query(range)}`).catch(() => null);
  funnelP.catch(() => {});
  countsDone(Promise.allSettled([funnelP, followupsP]));
  const [nps, settings] = await Promise.all([
    get<NpsReport>(`/api/v1/nps${query({ ...range, interval, segment, audience })}`),
    get<Settings>('/api/v1/settings'),
  ]);
  const o = nps.overall;
  // The NPS, its chart and histogram are cut by the segment and the audience (named as text).
  const cut = [segment, nps.audience?.name].filter((x): x is string => !!x).join(', ');
  const pending = (key: string, label: string) => figure(key, label, '…', 'Counting…');
  const rate = pending('response-rate', 'Response rate');
  const revenue = pending('referred-revenue', 'Referred revenue');
  const open = pending('open-detractors', 'Open detractors');
  const figures = h(
    'section',
    { class: 'figures', 'aria-label': 'Key figures' },
    figure(
      'nps',
      cut ? `NPS (${cut})` : 'NPS',
      oneDecimal(o.nps),
      `± ${oneDecimal(o.margin)} (95%: ${oneDecimal(o.ci_low)} to ${oneDecimal(o.ci_high)})`,
    ),
    figure('answers', 'Answers', int(o.n), `${int(o.promoters)} promoters · ${int(o.passives)} passives · ${int(o.detractors)} detractors`),
    rate,
    revenue,
    open,
  );
  const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': `NPS by ${nps.interval} with its 95% interval` });
  const chartSection = h(
    'section',
    { class: 'card' },
    h('h2', null, `NPS by ${nps.interval}`),
    h('p', { class: 'note' }, 'The line is the NPS; the band its 95% interval (adjusted Wald).'),
    chartHost,
  );
  const histSection = h(
    'section',
    { class: 'card' },
    h('h2', null, 'Answers by score'),
    nps.scores ? histogram(nps.scores) : h('p', null, 'This server does not report answers by score.'),
  );
  const funnelSection = h(
    'section',
    { class: 'card', 'aria-busy': 'true' },
    h('h2', null, 'Funnel'),
    h('p', { class: 'note' }, 'All categories and customers; the share of each step in the one before.'),
  );
  ctx.main.append(figures, h('div', { class: 'grid' }, chartSection, histSection), funnelSection);
  npsChart(chartHost, nps.buckets);
  ctx.main.dataset.nps = 'shown';

  const [f, followups] = await Promise.all([funnelP, followupsP]);
  rate.replaceWith(
    figure('response-rate', 'Response rate', percent(f.responses, f.surveys_sent), `${int(f.responses)} of ${int(f.surveys_sent)} surveys sent`),
  );
  revenue.replaceWith(
    figure('referred-revenue', 'Referred revenue', minorToAmount(f.referred_revenue_minor, settings.currency), `${int(f.referred_orders)} referred orders`),
  );
  if (followups) {
    open.replaceWith(
      figure(
        'open-detractors',
        'Open detractors',
        int(followups.open),
        followups.median_hours_to_resolve === null
          ? `${int(followups.resolved)} resolved`
          : `median ${oneDecimal(followups.median_hours_to_resolve)} h to resolve`,
      ),
    );
  } else {
    open.remove();
  }
  funnelSection.append(
    funnel([
      { key: 'orders', label: 'Orders', value: f.orders },
      { key: 'surveys_sent', label: 'Surveys sent', value: f.surveys_sent },
      { key: 'responses', label: 'Answers', value: f.responses },
      { key: 'promoters', label: 'Promoters', value: f.promoters },
      { key: 'activated', label: 'Codes activated', value: f.activated },
      { key: 'share_visits', label: 'Share visits', value: f.share_visits },
      { key: 'referred_orders', label: 'Referred orders', value: f.referred_orders },
    ]),
    h('p', null, `Rewards: ${int(f.rewards)} costing ${minorToAmount(f.reward_cost_minor, settings.currency)}.`),
  );
  funnelSection.removeAttribute('aria-busy');
  ctx.main.dataset.figures = 'shown';
}

page({ pattern: '/overview', title: 'Overview', nav: 'Overview', navOrder: 10, render });
