// The answers feed with its filters (category, product category, score, date, text, follow-up) and, on each
// detractor, the follow-up: an owner, a note and "resolved".
import { api, get, message, query } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { categorySelect } from './categories';
import { dateTime } from './format';

interface Followup {
  status: 'open' | 'resolved';
  owner: string | null;
  note: string | null;
  updated_at: string | null;
  resolved_at: string | null;
}
interface Response {
  survey_id: number;
  order_id: string;
  customer_id: string;
  email: string;
  first_name: string;
  last_name: string;
  score: number;
  category: string;
  comment: string;
  segment: string;
  answered_at: string;
  followup?: Followup | null;
}

const FILTERS = ['category', 'segment', 'score', 'from', 'to', 'q', 'followup'] as const;

function followupForm(ctx: Ctx, r: Response): HTMLElement {
  const f = r.followup!;
  const owner = h('input', { type: 'text', name: 'owner', value: f.owner ?? '', disabled: !ctx.canWrite });
  const note = h('textarea', { name: 'note', rows: 2, disabled: !ctx.canWrite });
  note.value = f.note ?? '';
  const out = status();
  const state = h('span', { class: `badge ${f.status}`, 'data-followup': f.status }, f.status === 'resolved' ? 'Resolved' : 'Open');
  const save = h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Save');
  const resolve = h('button', { type: 'button', class: 'secondary', disabled: !ctx.canWrite }, f.status === 'resolved' ? 'Reopen' : 'Resolve');
  const send = async (resolved?: boolean) => {
    const body: Record<string, unknown> = { owner: owner.value, note: note.value };
    if (resolved !== undefined) body.resolved = resolved;
    try {
      const next = await api<Followup>('PATCH', `/api/v1/responses/${r.survey_id}/followup`, body);
      r.followup = next;
      state.textContent = next.status === 'resolved' ? 'Resolved' : 'Open';
      state.className = `badge ${next.status}`;
      state.dataset.followup = next.status;
      resolve.textContent = next.status === 'resolved' ? 'Reopen' : 'Resolve';
      say(out, next.status === 'resolved' ? 'Resolved.' : 'Saved.');
    } catch (e) {
      say(out, message(e), true);
    }
  };
  const form = h(
    'form',
    { class: 'followup', 'aria-label': `Follow-up of answer ${r.survey_id}` },
    h('div', { class: 'row' }, h('strong', null, 'Follow-up '), state),
    field('Owner', owner),
    field('Note', note),
    h('div', { class: 'row' }, save, resolve),
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });
  resolve.addEventListener('click', () => void send(r.followup!.status !== 'resolved'));
  return form;
}

function item(ctx: Ctx, r: Response): HTMLElement {
  const who = `${r.first_name} ${r.last_name}`.trim() || r.email;
  return h(
    'li',
    { class: `response ${r.category}`, 'data-survey': r.survey_id },
    h(
      'div',
      { class: 'row' },
      h('span', { class: `score ${r.category}`, 'aria-label': `Score ${r.score}, ${r.category}` }, String(r.score)),
      h('span', { class: 'name' }, who),
      h('a', { href: `/promoters/${encodeURIComponent(r.customer_id)}`, class: 'subtle' }, 'customer'),
      h('span', { class: 'meta' }, `${r.segment || 'no category'} · order ${r.order_id} · ${dateTime(r.answered_at)}`),
    ),
    r.comment ? h('blockquote', { class: 'comment' }, r.comment) : h('p', { class: 'meta' }, 'No comment.'),
    r.followup ? followupForm(ctx, r) : null,
  );
}

async function render(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  const v = (k: string) => q.get(k) ?? '';
  const category = h(
    'select',
    { name: 'category' },
    ['', 'detractor', 'passive', 'promoter'].map((c) => h('option', { value: c, selected: c === v('category') }, c || 'All')),
  );
  const score = h(
    'select',
    { name: 'score' },
    ['', ...Array.from({ length: 11 }, (_, i) => String(i))].map((s) =>
      h('option', { value: s, selected: s === v('score') }, s || 'Any'),
    ),
  );
  const segment = categorySelect('segment', v('segment'));
  const from = h('input', { type: 'date', name: 'from', value: v('from') });
  const to = h('input', { type: 'date', name: 'to', value: v('to') });
  const text = h('input', { type: 'search', name: 'q', value: v('q'), placeholder: 'Words in the comment' });
  const followup = h(
    'select',
    { name: 'followup' },
    [
      ['', 'Any'],
      ['open', 'Open'],
      ['resolved', 'Resolved'],
    ].map(([val, label]) => h('option', { value: val, selected: val === v('followup') }, label)),
  );
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'Filters' },
    field('Category', category),
    field('Product category', segment),
    field('Score', score),
    field('From', from),
    field('To', to),
    field('Comment contains', text),
    field('Follow-up', followup),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(
      `/responses${query({ category: category.value, segment: segment.value, score: score.value, from: from.value, to: to.value, q: text.value, followup: followup.value })}`,
    );
  });
  const filters: Record<string, string> = {};
  for (const k of FILTERS) if (v(k)) filters[k] = v(k);
  const list = h('ol', { class: 'responses', 'aria-label': 'Answers' });
  const more = h('button', { type: 'button', class: 'secondary' }, 'More');
  const out = status();
  ctx.main.append(
    h('h1', null, 'Responses'),
    form,
    h('p', null, h('a', { href: `/api/v1/responses.csv${query(filters)}`, download: 'responses.csv', id: 'responses-csv' }, 'Download CSV')),
    list,
    more,
    out,
  );
  let after = 0;
  const load = async () => {
    const page = await get<{ responses: Response[]; next_after: number | null }>(
      `/api/v1/responses${query({ ...filters, after: after || null, limit: 50 })}`,
    );
    for (const r of page.responses) list.appendChild(item(ctx, r));
    if (list.children.length === 0) say(out, 'No answers match these filters.');
    more.hidden = page.responses.length < 50 || page.next_after === null;
    after = page.next_after ?? after;
  };
  more.addEventListener('click', () => void load().catch((e) => say(out, message(e), true)));
  await load();
}

page({ pattern: '/responses', title: 'Responses', nav: 'Responses', navOrder: 30, render });
