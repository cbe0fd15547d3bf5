// The micro-influencer leaderboard and a promoter's page (answers, referrals, reward ledger).
import { api, ApiError, get, message, query } from './api';
import { Ctx, page } from './app';
import { field, h } from './dom';
import { int, money, Money } from './format';
import { genericTable, show, table } from './table';

interface Promoter {
  customer_id: string;
  email: string;
  first_name: string;
  last_name: string;
  code: string;
  share_visits: number;
  referrals: number;
  revenue: Money;
  reward_cost: Money;
}

function name(p: { first_name?: string; last_name?: string; email?: string }): string {
  const n = `${p.first_name ?? ''} ${p.last_name ?? ''}`.trim();
  return n || p.email || '–';
}

async function list(ctx: Ctx): Promise<void> {
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  const fromIn = h('input', { type: 'date', name: 'from', value: from });
  const toIn = h('input', { type: 'date', name: 'to', value: to });
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'Range' },
    field('From', fromIn),
    field('To', toIn),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/promoters${query({ from: fromIn.value, to: toIn.value })}`);
  });
  const q = query({ from, to, limit: 100 });
  const { promoters } = await get<{ promoters: Promoter[] }>(`/api/v1/promoters${q}`);
  ctx.main.append(
    h('h1', null, 'Promoters'),
    form,
    h('p', null, h('a', { href: `/api/v1/promoters.csv${query({ from, to })}`, download: 'promoters.csv' }, 'Download CSV')),
    table<Promoter>(
      'Promoters by referred revenue',
      [
        { label: 'Promoter', cell: (p) => h('a', { href: `/promoters/${encodeURIComponent(p.customer_id)}` }, name(p)) },
        { label: 'Code', cell: (p) => h('code', null, p.code) },
        { label: 'Share visits', cell: (p) => int(p.share_visits), numeric: true },
        { label: 'Referred orders', cell: (p) => int(p.referrals), numeric: true },
        { label: 'Referred revenue', cell: (p) => money(p.revenue), numeric: true },
        { label: 'Rewards', cell: (p) => money(p.reward_cost), numeric: true },
      ],
      promoters,
      'No promoters in this range yet.',
    ),
  );
}

interface PromoterPage {
  customer: Record<string, unknown>;
  codes: Record<string, unknown>[];
  answers: Record<string, unknown>[];
  referrals: Record<string, unknown>[];
  rewards: Record<string, unknown>[];
}

// A button per code the coupon-leak rule paused: POST /api/v1/codes/{code}/resume.
function resumeControls(ctx: Ctx, codes: Record<string, unknown>[]): HTMLElement[] {
  return codes
    .filter((k) => k.paused_at)
    .map((k) => {
      const code = String(k.code);
      const out = h('span', { role: 'status' });
      const button = h('button', { type: 'button', disabled: !ctx.canWrite }, `Resume code ${code}`);
      button.addEventListener('click', async () => {
        try {
          await api('POST', `/api/v1/codes/${encodeURIComponent(code)}/resume`);
          button.disabled = true;
          out.textContent = ` Code ${code} resumed: its buyers are counted afresh from now.`;
        } catch (e) {
          out.textContent = ` ${message(e)}`;
        }
      });
      return h('p', { class: 'resume' }, `Code ${code} is paused (coupon leak). `, button, out);
    });
}

async function detail(ctx: Ctx): Promise<void> {
  const id = ctx.params.id;
  let p: PromoterPage;
  try {
    p = await get<PromoterPage>(`/api/v1/promoters/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      ctx.main.append(h('h1', null, 'Promoter'), h('p', null, 'No such promoter in this shop.'));
      return;
    }
    throw e;
  }
  const c = p.customer;
  ctx.main.append(
    h('p', null, h('a', { href: '/promoters' }, '← Promoters')),
    h('h1', null, name(c as { first_name?: string; last_name?: string; email?: string })),
    h(
      'dl',
      { class: 'facts' },
      Object.entries(c).flatMap(([k, v]) => [h('dt', null, k.replace(/_/g, ' ')), h('dd', null, show(v))]),
    ),
    h('h2', null, 'Codes'),
    genericTable('Codes', p.codes ?? []),
    ...resumeControls(ctx, p.codes ?? []),
    h('h2', null, 'Answers'),
    genericTable('Answers', p.answers ?? []),
    h('h2', null, 'Referrals'),
    genericTable('Referrals', p.referrals ?? []),
    h('h2', null, 'Rewards'),
    genericTable('Reward ledger', p.rewards ?? []),
  );
}

page({ pattern: '/promoters', title: 'Promoters', nav: 'Promoters', navOrder: 20, render: list });
page({ pattern: '/promoters/{id}', title: 'Promoter', render: detail });
