// Audiences (issue 16), a panel of the Experiments page: the shop's audiences (by the surveyed
// order's category and value, the customer's locale, repeat buyer or not), each with whether it
// gates activation and its own offer; admins create and delete them (POST/DELETE /api/v1/audiences).
import { api, get, message } from './api';
import { Ctx } from './app';
import { field, h, say, status } from './dom';
import { minorToAmount } from './format';
import { table } from './table';

interface Audience {
  id: number;
  name: string;
  categories: string[];
  min_order_minor: number | null;
  max_order_minor: number | null;
  locales: string[];
  repeat_buyer: 'any' | 'yes' | 'no';
  gate: boolean;
  offer: { discount_kind: 'percent' | 'amount'; discount_value: number; reward_minor: number } | null;
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
const num = (s: string) => (s.trim() === '' ? null : Number(s));

function conditions(a: Audience, currency: string): string {
  const parts: string[] = [];
  if (a.categories.length) parts.push(`category ${a.categories.join(' or ')}`);
  if (a.min_order_minor !== null) parts.push(`order ≥ ${minorToAmount(a.min_order_minor, currency)}`);
  if (a.max_order_minor !== null) parts.push(`order ≤ ${minorToAmount(a.max_order_minor, currency)}`);
  if (a.locales.length) parts.push(`locale ${a.locales.join(' or ')}`);
  if (a.repeat_buyer !== 'any') parts.push(a.repeat_buyer === 'yes' ? 'repeat buyers' : 'first-time buyers');
  return parts.length ? parts.join('; ') : 'everyone';
}

function offer(a: Audience, currency: string): string {
  if (!a.offer) return "the shop's";
  const friend = a.offer.discount_kind === 'percent' ? `${a.offer.discount_value}%` : minorToAmount(a.offer.discount_value, currency);
  return `Friends get ${friend}; promoter earns ${minorToAmount(a.offer.reward_minor, currency)}`;
}

export async function audiencesPanel(ctx: Ctx, currency: string): Promise<HTMLElement> {
  const host = h('section', { id: 'audiences' });
  const listHost = h('div');
  const listStatus = status();
  const load = async () => {
    const r = await get<{ audiences: Audience[] }>('/api/v1/audiences');
    listHost.replaceChildren(
      table<Audience>(
        'Audiences',
        [
          { label: 'Audience', cell: (a) => h('span', { 'data-audience': String(a.id) }, a.name) },
          { label: 'Who', cell: (a) => conditions(a, currency) },
          { label: 'Gates activation', cell: (a) => (a.gate ? 'yes' : 'no') },
          { label: 'Offer', cell: (a) => offer(a, currency) },
          {
            label: 'Actions',
            cell: (a) => {
              const del = h('button', { type: 'button', class: 'link', disabled: !ctx.canWrite, 'aria-label': `Delete ${a.name}` }, 'Delete');
              del.addEventListener('click', async () => {
                try {
                  await api<void>('DELETE', `/api/v1/audiences/${a.id}`);
                  say(listStatus, 'Deleted.');
                  await load();
                } catch (e) {
                  say(listStatus, message(e), true);
                }
              });
              return del;
            },
          },
        ],
        r.audiences,
        'No audiences yet: every promoter is activated with the shop’s offer.',
      ),
      listStatus,
    );
  };
  host.append(
    h('h2', null, 'Audiences'),
    h('p', null, 'Groups of customers by the surveyed order and who bought it. Once an audience gates activation, only promoters in a gating audience get a code; an audience’s offer goes on its promoters’ codes. Reports take ?audience=ID.'),
    listHost,
  );
  await load();
  if (!ctx.canWrite) return host;
  const name = h('input', { name: 'name', required: true, maxlength: 200 });
  const categories = h('input', { name: 'categories', placeholder: 'tents, sleeping bags' });
  const min = h('input', { name: 'min_order_minor', type: 'number', min: 0, step: 1 });
  const max = h('input', { name: 'max_order_minor', type: 'number', min: 0, step: 1 });
  const locales = h('input', { name: 'locales', placeholder: 'de, en-GB' });
  const repeat = h('select', { name: 'repeat_buyer' }, h('option', { value: 'any' }, 'Any'), h('option', { value: 'yes' }, 'Repeat buyers'), h('option', { value: 'no' }, 'First-time buyers'));
  const gate = h('input', { type: 'checkbox', name: 'gate' });
  const kind = h('select', { name: 'offer_kind' }, h('option', { value: '' }, 'The shop’s offer'), h('option', { value: 'percent' }, 'Percent off'), h('option', { value: 'amount' }, 'Amount off (minor units)'));
  const value = h('input', { name: 'offer_value', type: 'number', min: 0, step: 1 });
  const reward = h('input', { name: 'offer_reward', type: 'number', min: 0, step: 1 });
  const submit = h('button', { type: 'submit' }, 'Add audience');
  const out = status();
  const form = h(
    'form',
    { class: 'card', id: 'audience-form' },
    h('h3', null, 'Add an audience'),
    field('Name', name),
    field('Categories', categories, 'Comma-separated product categories; empty: any.'),
    field('Order value from (minor units)', min),
    field('Order value up to (minor units)', max),
    field('Locales', locales, 'Comma-separated, e.g. de, en-GB; "de" includes de-AT.'),
    field('Buyers', repeat),
    h('label', { class: 'check' }, gate, ' Activation only for gating audiences'),
    field('Offer', kind),
    field('Friend discount', value),
    field('Promoter reward (minor units)', reward),
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const body = {
        name: name.value,
        categories: list(categories.value),
        min_order_minor: num(min.value),
        max_order_minor: num(max.value),
        locales: list(locales.value),
        repeat_buyer: repeat.value,
        gate: gate.checked,
        offer: kind.value ? { discount_kind: kind.value, discount_value: Number(value.value || 0), reward_minor: Number(reward.value || 0) } : null,
      };
      const a = await api<Audience>('POST', '/api/v1/audiences', body);
      say(out, `Added ${a.name}.`);
      form.reset();
      await load();
    } catch (err) {
      say(out, message(err), true);
    } finally {
      submit.disabled = false;
    }
  });
  host.append(form);
  return host;
}
