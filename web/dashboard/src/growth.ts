// Growth (issue 16): does the program pay and grow by itself? The program by generation of
// promoters (viral coefficient with its interval, net revenue), the comment themes that set
// detractors apart from promoters, this period's NPS against the one before, and the referral
// program beside paid campaigns. Every figure is the API's, as the API rounds it.
import { get, query } from './api';
import { Ctx, page } from './app';
import { audienceSelect } from './audience_select';
import { field, h } from './dom';
import { day, int, minorToAmount, money, Money, oneDecimal } from './format';
import { definedThemes, themeInterval } from './growth_themes';
import { table } from './table';

interface Bounds {
  low: number;
  high: number;
}
interface Generation {
  generation?: number;
  promoters: number;
  referred_customers: number;
  viral_coefficient: number;
  ci: Bounds;
  revenue: Money;
  rewards_released: Money;
  net_revenue: Money;
}
interface Program {
  generations: Generation[];
  all: Generation;
}
interface Example {
  score: number;
  comment: string;
}
interface Term {
  term: string;
  phrase: boolean;
  detractors: number;
  promoters: number;
  g2: number;
  p_value: number;
  examples: Example[];
}
interface Themes {
  detractor_comments: number;
  promoter_comments: number;
  detractor_terms: Term[];
  promoter_terms: Term[];
}
interface Side {
  from: string;
  to: string;
  n: number;
  nps: number;
  ci_low: number;
  ci_high: number;
}
interface NpsComparison {
  a: Side;
  b: Side;
  difference: { difference: number; ci_low: number; ci_high: number; p_value: number; significant: boolean };
}
interface Channel {
  channel: string;
  campaign?: { name: string };
  new_customers: number;
  cost_per_new_customer_minor: number | null;
  revenue_per_new_customer_minor: { mean: number };
  nps: { n: number; nps: number };
  repeat_rate: { rate: number | null };
}
interface Channels {
  currency: string;
  channels: Channel[];
}

const two = (x: number) => x.toFixed(2);

function generations(p: Program): HTMLElement {
  const rows = [...p.generations, p.all];
  return table<Generation>(
    'Program by generation',
    [
      { label: 'Generation', cell: (g) => (g.generation === undefined ? 'All' : String(g.generation)) },
      { label: 'Promoters', cell: (g) => int(g.promoters), numeric: true },
      { label: 'Referred customers', cell: (g) => int(g.referred_customers), numeric: true },
      {
        label: 'Viral coefficient (95% interval)',
        cell: (g) => `${two(g.viral_coefficient)} (${two(g.ci.low)}–${two(g.ci.high)})`,
        numeric: true,
      },
      { label: 'Revenue', cell: (g) => money(g.revenue), numeric: true },
      { label: 'Rewards released', cell: (g) => money(g.rewards_released), numeric: true },
      { label: 'Net revenue', cell: (g) => money(g.net_revenue), numeric: true },
    ],
    p.generations.length ? rows : [],
    'No promoter was activated in this range.',
  );
}

function terms(caption: string, list: Term[]): HTMLElement {
  return table<Term>(
    caption,
    [
      { label: 'Term', cell: (t) => t.term },
      { label: 'Detractors', cell: (t) => int(t.detractors), numeric: true },
      { label: 'Promoters', cell: (t) => int(t.promoters), numeric: true },
      { label: 'G²', cell: (t) => oneDecimal(t.g2), numeric: true },
      { label: 'Example', cell: (t) => (t.examples.length ? h('q', null, t.examples[0].comment) : '–') },
    ],
    list,
    'No term stands out.',
  );
}

function comparison(c: NpsComparison): HTMLElement {
  const d = c.difference;
  const period = (s: Side) => `(${s.from.slice(0, 10)} to ${s.to.slice(0, 10)})`;
  // A period without answers has no NPS: say so rather than show 0 and a test of nothing.
  const side = (label: string, s: Side) =>
    s.n === 0
      ? h('li', null, `${label} ${period(s)}: no answers`)
      : h('li', null, `${label} ${period(s)}: NPS ${oneDecimal(s.nps)} `, `[${oneDecimal(s.ci_low)}, ${oneDecimal(s.ci_high)}], ${int(s.n)} answers`);
  const verdict =
    c.a.n === 0 || c.b.n === 0
      ? h('p', null, 'No comparison: a period without answers.')
      : h(
          'p',
          null,
          `Change ${oneDecimal(d.difference)} [${oneDecimal(d.ci_low)}, ${oneDecimal(d.ci_high)}], p = ${d.p_value.toFixed(3)}: `,
          h('strong', null, d.significant ? 'a real change' : 'not distinguishable from chance'),
        );
  return h('div', { 'data-panel': 'nps-compare' }, h('ul', null, side('Before', c.a), side('Now', c.b)), verdict);
}

function channels(c: Channels): HTMLElement {
  const per = (minor: number | null) => (minor === null ? '–' : minorToAmount(Math.round(minor), c.currency));
  return table<Channel>(
    'Channels',
    [
      { label: 'Channel', cell: (x) => (x.campaign ? x.campaign.name : x.channel.replace('_', ' ')) },
      { label: 'New customers', cell: (x) => int(x.new_customers), numeric: true },
      { label: 'Cost per new customer', cell: (x) => per(x.cost_per_new_customer_minor), numeric: true },
      { label: 'Revenue per new customer', cell: (x) => per(x.revenue_per_new_customer_minor.mean), numeric: true },
      { label: 'Their NPS', cell: (x) => (x.nps.n ? oneDecimal(x.nps.nps) : '–'), numeric: true },
      {
        label: 'Repeat rate',
        cell: (x) => (x.repeat_rate.rate === null ? '–' : `${(100 * x.repeat_rate.rate).toFixed(1)}%`),
        numeric: true,
      },
    ],
    c.channels,
  );
}

async function render(ctx: Ctx): Promise<void> {
  const from = ctx.query.get('from') || day(89);
  const to = ctx.query.get('to') || day(0);
  const fromIn = h('input', { type: 'date', name: 'from', value: from, required: true });
  const toIn = h('input', { type: 'date', name: 'to', value: to, required: true });
  const audience = ctx.query.get('audience') || '';
  const audienceIn = audienceSelect('audience', audience);
  const controls = h(
    'form',
    { class: 'controls', 'aria-label': 'Range' },
    field('From', fromIn),
    field('To', toIn),
    field('Audience', audienceIn),
    h('button', { type: 'submit' }, 'Apply'),
  );
  controls.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/growth${query({ from: fromIn.value, to: toIn.value, audience: audienceIn.value })}`);
  });
  ctx.main.append(h('h1', null, 'Growth'), controls);
  // The audience cuts every report here, the 30-day NPS comparison on both sides.
  const range = query({ from, to, audience });
  const [program, themes, nps, chans, defined] = await Promise.all([
    get<Program>(`/api/v1/program${range}`),
    get<Themes>(`/api/v1/themes${range}`),
    get<NpsComparison>(`/api/v1/nps/compare${query({ a_audience: audience, b_audience: audience })}`),
    get<Channels>(`/api/v1/compare/channels${range}`),
    definedThemes(range, themeInterval(from, to), ctx.canWrite),
  ]);
  ctx.main.append(
    h('section', { 'aria-labelledby': 'growth-program' }, h('h2', { id: 'growth-program' }, 'Referral generations'), generations(program)),
    h(
      'section',
      { 'aria-labelledby': 'growth-themes' },
      h('h2', { id: 'growth-themes' }, 'Comment themes'),
      h('p', null, `${int(themes.detractor_comments)} detractors' and ${int(themes.promoter_comments)} promoters' comments.`),
      h('h3', null, 'Detractors say more often'),
      terms("Detractors' terms", themes.detractor_terms),
      h('h3', null, 'Promoters say more often'),
      terms("Promoters' terms", themes.promoter_terms),
    ),
    defined,
    h('section', { 'aria-labelledby': 'growth-nps' }, h('h2', { id: 'growth-nps' }, 'NPS: the last 30 days against the 30 before'), comparison(nps)),
    h('section', { 'aria-labelledby': 'growth-channels' }, h('h2', { id: 'growth-channels' }, 'Program against campaigns'), channels(chans)),
  );
}

page({ pattern: '/growth', title: 'Growth', nav: 'Growth', navOrder: 45, render });
