// Every attributed order with its status and, for held or rejected ones, the rules that fired;
// approve or reject from the review queue.
import { api, ApiError, get, message, query } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { date, dateTime, money, Money } from './format';
import { show, table } from './table';

interface Referral {
  id: number;
  order_id: string;
  code: string;
  promoter_customer_id: string;
  buyer_customer_id: string;
  status: string;
  rules: { rule: string; detail: string }[];
  revenue: unknown;
  created_at: string;
  reward: Reward | null;
}

interface Reward {
  amount: Money;
  status: string;
  code: string;
  hold_until: string | null;
  reason: string;
}

// A reward in words: amount, where it stands and why ('10.00 EUR, held until 17 Dec 2026').
function rewardText(w: Reward | null): string {
  if (!w) return '\u2013';
  const parts = [money(w.amount), w.status.replace('_', ' ')];
  if (w.status === 'held' && w.hold_until) parts[1] += ` until ${date(w.hold_until)}`;
  if (w.reason) parts.push(w.reason);
  return parts.join(', ');
}

async function render(ctx: Ctx): Promise<void> {
  const st = ctx.query.get('status') ?? '';
  const select = h(
    'select',
    { name: 'status' },
    ['', 'qualified', 'pending_review', 'rejected'].map((s) => h('option', { value: s, selected: s === st }, s ? s.replace('_', ' ') : 'All')),
  );
  const form = h('form', { class: 'controls', 'aria-label': 'Filter' }, field('Status', select), h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/referrals${query({ status: select.value })}`);
  });
  ctx.main.append(
    h('h1', null, 'Referrals'),
    form,
    h('p', null, h('a', { href: `/api/v1/referrals.csv${query({ status: st })}`, download: 'referrals.csv', id: 'referrals-csv' }, 'Download CSV')),
  );
  let rows: Referral[];
  try {
    rows = (await get<{ referrals: Referral[] }>(`/api/v1/referrals${query({ status: st, limit: 200 })}`)).referrals;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      ctx.main.append(h('p', null, 'This server does not list referrals yet.'));
      return;
    }
    throw e;
  }
  const out = status();
  const decide = (r: Referral, verdict: 'approve' | 'reject', cell: HTMLElement) => async () => {
    try {
      await api('POST', `/api/v1/referrals/${r.id}/${verdict}`);
      cell.textContent = verdict === 'approve' ? 'qualified' : 'rejected';
      say(out, `Referral ${r.id} ${verdict === 'approve' ? 'approved' : 'rejected'}.`);
    } catch (e) {
      say(out, message(e), true);
    }
  };
  ctx.main.append(
    table<Referral>(
      'Referrals',
      [
        { label: 'Order', cell: (r) => r.order_id },
        { label: 'Code', cell: (r) => h('code', null, r.code) },
        { label: 'Promoter', cell: (r) => h('a', { href: `/promoters/${encodeURIComponent(r.promoter_customer_id)}` }, r.promoter_customer_id) },
        { label: 'Revenue', cell: (r) => show(r.revenue), numeric: true },
        { label: 'When', cell: (r) => dateTime(r.created_at) },
        {
          label: 'Status',
          cell: (r) => {
            const cell = h('span', { class: `badge ${r.status}` }, r.status.replace('_', ' '));
            if (r.status !== 'pending_review') return cell;
            const approve = h('button', { type: 'button', disabled: !ctx.canWrite }, 'Approve');
            const reject = h('button', { type: 'button', class: 'secondary', disabled: !ctx.canWrite }, 'Reject');
            approve.addEventListener('click', decide(r, 'approve', cell));
            reject.addEventListener('click', decide(r, 'reject', cell));
            return [cell, ' ', approve, ' ', reject];
          },
        },
        { label: 'Rules', cell: (r) => (r.rules?.length ? h('ul', null, r.rules.map((x) => h('li', null, `${x.rule}: ${x.detail}`))) : '–') },
        { label: 'Reward', cell: (r) => rewardText(r.reward) },
      ],
      rows,
      'No referrals yet.',
    ),
    out,
  );
}

page({ pattern: '/referrals', title: 'Referrals', nav: 'Referrals', navOrder: 40, render });
