// Settings: the offer, survey delay and throttle, templates per language with a live preview,
// API keys and users. A viewer sees everything disabled (and the API refuses them anyway).
import { api, ApiError, get, message } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { dateTime } from './format';
import { table } from './table';

type Settings = Record<string, string | number>;

const NUMBER = 'number';
const GROUPS: { title: string; fields: [key: string, label: string, kind: string, hint?: string][] }[] = [
  {
    title: 'Offer',
    fields: [
      ['discount_kind', 'Friend discount kind', 'kind', 'percent or fixed'],
      ['discount_value', 'Friend discount', NUMBER, 'Percent, or minor units of the currency'],
      ['reward_minor', 'Promoter reward (minor units)', NUMBER],
      ['currency', 'Currency', 'text'],
      ['code_expiry_days', 'Code expiry (days)', NUMBER],
      ['code_max_uses', 'Uses per code', NUMBER],
    ],
  },
  {
    title: 'Survey',
    fields: [
      ['survey_delay_seconds', 'Survey delay (seconds after the order)', NUMBER],
      ['throttle_days', 'Ask a customer at most once in (days)', NUMBER],
      ['locale', 'Default language', 'text'],
      ['sender_name', 'Sender name', 'text'],
    ],
  },
  {
    title: 'Shop',
    fields: [
      ['name', 'Shop name', 'text'],
      ['url', 'Shop URL', 'url'],
      ['landing_url', 'Landing page for friends', 'url'],
      ['contact_email', 'Contact email', 'email', 'Where Vouch mails the shop, e.g. when a leaked code is paused; empty: no mail'],
    ],
  },
];

function settingsForm(ctx: Ctx, s: Settings): HTMLElement {
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  const groups = GROUPS.map((g) =>
    h(
      'fieldset',
      null,
      h('legend', null, g.title),
      g.fields.map(([key, label, kind, hint]) => {
        const input =
          kind === 'kind'
            ? h('select', { name: key }, ['percent', 'fixed'].map((k) => h('option', { value: k, selected: s[key] === k }, k)))
            : h('input', { type: kind, name: key, value: s[key] ?? '' });
        input.disabled = !ctx.canWrite;
        inputs[key] = input;
        return field(label, input, hint);
      }),
    ),
  );
  const out = status();
  const save = h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Save settings');
  const form = h('form', { class: 'card settings', id: 'settings-form' }, h('h2', null, 'Program'), groups, save, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const patch: Settings = {};
    for (const [k, input] of Object.entries(inputs)) {
      const was = s[k];
      const now = typeof was === 'number' ? Number(input.value) : input.value;
      if (now !== was) patch[k] = now;
    }
    if (Object.keys(patch).length === 0) return say(out, 'Nothing changed.');
    try {
      const next = await api<Settings>('PATCH', '/api/v1/settings', patch);
      Object.assign(s, next);
      say(out, 'Saved.');
    } catch (err) {
      say(out, message(err), true);
      if (err instanceof ApiError && err.field && inputs[err.field]) inputs[err.field].focus();
    }
  });
  return form;
}

const SAMPLE: Record<string, string> = {
  first_name: 'Anna',
  shop_name: 'Your shop',
  shop_url: 'https://shop.example',
  code: 'ANNA-7Q2X',
  offer_text: 'Your friends get 15% off; you get 10.00 EUR for each first order.',
  friend_offer: '15% off',
  share_url: 'https://shop.example/r/ANNA-7Q2X',
  expires_on: '2027-12-31',
  whatsapp_url: 'https://wa.me/?text=…',
  x_url: 'https://x.com/intent/post?text=…',
  facebook_url: 'https://www.facebook.com/sharer/sharer.php?u=…',
  email_share_url: 'mailto:?body=…',
  reward: '10.00 EUR',
  reward_amount: '10.00 EUR',
  reward_code: 'RW-4KD9',
  friend_first_name: 'Ben',
  question: 'How likely are you to recommend us to a friend?',
  unsubscribe_url: 'https://shop.example/u/…',
};

// A mustache template with sample values, for the preview (shown as text, never as markup):
// sections kept when their value is set ({{#k}}) or unset ({{^k}}), then the values.
function preview(template: string): string {
  let text = template.replace(/\{\{!.*?\}\}/g, '');
  for (let again = true; again; ) {
    const next = text.replace(
      /\{\{([#^])\s*([\w.]+)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/g,
      (_m, kind: string, k: string, inner: string) => ((kind === '#') === Boolean(SAMPLE[k]) ? inner : ''),
    );
    again = next !== text;
    text = next;
  }
  return text.replace(/\{\{\{?\s*([\w.]+)\s*\}?\}\}/g, (_m, k: string) => SAMPLE[k] ?? `[${k}]`);
}

async function templates(ctx: Ctx): Promise<HTMLElement> {
  const t = await get<{ names: string[]; overrides: Record<string, string> }>('/api/v1/templates');
  const locale = h('select', { name: 'locale' }, ['en', 'de'].map((l) => h('option', { value: l }, l)));
  const name = h('select', { name: 'template' }, t.names.map((n) => h('option', { value: n }, n)));
  const text = h('textarea', { name: 'body', rows: 10, class: 'mono', disabled: !ctx.canWrite });
  const shown = h('pre', { class: 'preview', 'aria-live': 'polite' });
  const note = h('p', { class: 'note' });
  const out = status();
  const key = () => `${locale.value}/${name.value}`;
  // The shop's override, else the built-in text (GET …?builtin=1), so the preview and the editor
  // start from what the mail says today.
  const load = async () => {
    const k = key();
    const o = t.overrides[k];
    if (o !== undefined) {
      text.value = o;
      note.textContent = 'This shop overrides the built-in template.';
    } else {
      note.textContent = 'The built-in template is in use; edit it here and save to override it.';
      try {
        const b = await get<{ body: string }>(`/api/v1/templates/${k}?builtin=1`);
        if (k !== key()) return; // the choice moved on meanwhile
        text.value = b.body;
      } catch (err) {
        text.value = '';
        say(out, message(err), true);
      }
    }
    shown.textContent = preview(text.value);
    form.dataset.loaded = k;
  };
  locale.addEventListener('change', () => void load());
  name.addEventListener('change', () => void load());
  text.addEventListener('input', () => (shown.textContent = preview(text.value)));
  const save = h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Save template');
  const reset = h('button', { type: 'button', class: 'secondary', disabled: !ctx.canWrite }, 'Use built-in');
  const test = h('button', { type: 'button', class: 'secondary', id: 'send-test', disabled: !ctx.canWrite }, 'Send me a test');
  // Whose offer the test shows: the shop's, a variant of the running experiment, or an audience's
  // own (issue 16); filled in when they arrive. Names are text nodes.
  const offer = h('select', { name: 'test-offer' }, h('option', { value: '' }, "The shop's offer"));
  Promise.all([
    get<{ experiments: { status: string; variants: { variant: number; name: string }[] }[] }>('/api/v1/experiments'),
    get<{ audiences: { id: number; name: string; offer: unknown }[] }>('/api/v1/audiences'),
  ])
    .then(([e, a]) => {
      for (const x of e.experiments.filter((x) => x.status === 'running')) {
        for (const v of x.variants) offer.append(h('option', { value: `variant:${v.variant}` }, `Variant ${v.name}`));
      }
      for (const x of a.audiences.filter((x) => x.offer)) offer.append(h('option', { value: `audience:${x.id}` }, `Audience ${x.name}`));
      offer.dataset.loaded = 'true';
    })
    .catch(() => (offer.dataset.loaded = 'error'));
  const form = h(
    'form',
    { class: 'card' },
    h('h2', null, 'Templates'),
    h('div', { class: 'controls' }, field('Language', locale), field('Template', name)),
    note,
    h('div', { class: 'grid' }, field('Template (mustache)', text), h('div', null, h('h3', null, 'Preview with sample values'), shown)),
    h('div', { class: 'row' }, save, reset, field('Offer in the test', offer), test),
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const res = await fetch(`/api/v1/templates/${key()}`, {
        method: 'PUT',
        headers: { 'X-CSRF-Token': csrfOf(ctx), 'Content-Type': 'text/plain; charset=utf-8' },
        body: text.value,
      });
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { detail?: string }).detail ?? res.statusText);
      t.overrides[key()] = text.value;
      await load();
      say(out, 'Saved.');
    } catch (err) {
      say(out, message(err), true);
    }
  });
  // The text as it stands (saved or not), with sample values, to the signed-in user's address.
  test.addEventListener('click', async () => {
    try {
      const [kind, id] = offer.value.split(':');
      const body: Record<string, unknown> = { body: text.value };
      if (kind) body[kind] = Number(id);
      const r = await api<{ to: string; subject: string }>('POST', `/api/v1/templates/${key()}/test`, body);
      say(out, `Test mail "${r.subject}" sent to ${r.to}.`);
    } catch (err) {
      say(out, err instanceof ApiError && err.status === 429 ? 'A test mail went out a moment ago; wait half a minute.' : message(err), true);
    }
  });
  reset.addEventListener('click', async () => {
    try {
      await api('DELETE', `/api/v1/templates/${key()}`);
      delete t.overrides[key()];
      await load();
      say(out, 'The built-in template is in use again.');
    } catch (err) {
      say(out, message(err), true);
    }
  });
  await load();
  return form;
}

const csrfOf = (ctx: Ctx) => ctx.session.csrf_token;

interface Key {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}
interface UserRow {
  id: number;
  email: string;
  role: string;
  created_at: string;
  last_sign_in_at: string | null;
  must_change_password?: boolean;
}

// A section over an admin-only list; a 403 (viewer) or 404 (older server) says so instead.
async function adminList<T>(path: string, title: string, build: (rows: T) => HTMLElement): Promise<HTMLElement> {
  try {
    return build(await get<T>(path));
  } catch (e) {
    const why =
      e instanceof ApiError && e.status === 403
        ? 'Only admins see this.'
        : e instanceof ApiError && e.status === 404
          ? 'This server does not offer this yet.'
          : message(e);
    return h('section', { class: 'card' }, h('h2', null, title), h('p', null, why));
  }
}

function keysSection(ctx: Ctx, data: { keys: Key[] }): HTMLElement {
  const sec = h('section', { class: 'card', id: 'keys' }, h('h2', null, 'API keys'));
  const out = status();
  const tableHost = h('div');
  const draw = () => {
    tableHost.replaceChildren(
      table<Key>(
        'API keys',
        [
          { label: 'Name', cell: (k) => k.name },
          { label: 'Starts with', cell: (k) => h('code', null, k.prefix) },
          { label: 'Created', cell: (k) => dateTime(k.created_at) },
          { label: 'Last used', cell: (k) => dateTime(k.last_used_at) },
          {
            label: '',
            cell: (k) => {
              const b = h('button', { type: 'button', class: 'secondary', disabled: !ctx.canWrite }, `Revoke ${k.name}`);
              b.addEventListener('click', async () => {
                try {
                  await api('DELETE', `/api/v1/keys/${k.id}`);
                  data.keys = data.keys.filter((x) => x.id !== k.id);
                  draw();
                  say(out, `Key ${k.name} revoked.`);
                } catch (e) {
                  say(out, message(e), true);
                }
              });
              return b;
            },
          },
        ],
        data.keys,
        'No API keys.',
      ),
    );
  };
  const name = h('input', { type: 'text', name: 'key_name', required: true, disabled: !ctx.canWrite });
  const secret = h('output', { class: 'secret' });
  const form = h('form', { class: 'controls' }, field('New key name', name), h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Create key'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api<{ key: Key; secret: string }>('POST', '/api/v1/keys', { name: name.value });
      data.keys.push(r.key);
      draw();
      secret.textContent = r.secret;
      say(out, 'Copy the key now: it is shown only once.');
    } catch (err) {
      say(out, message(err), true);
    }
  });
  draw();
  sec.append(tableHost, form, secret, out);
  return sec;
}

function usersSection(ctx: Ctx, data: { users: UserRow[] }): HTMLElement {
  const sec = h('section', { class: 'card', id: 'users' }, h('h2', null, 'Users'));
  const out = status();
  const host = h('div');
  const draw = () =>
    host.replaceChildren(
      table<UserRow>(
        'Users',
        [
          { label: 'Email', cell: (u) => u.email },
          {
            label: 'Role',
            cell: (u) => {
              // Your own role is not yours to change here (the API keeps a shop from losing its last admin).
              if (u.id === ctx.session.user.id) return u.role;
              const select = h(
                'select',
                { name: `role-${u.id}`, 'aria-label': `Role of ${u.email}`, disabled: !ctx.canWrite },
                ['viewer', 'admin'].map((r) => h('option', { value: r, selected: r === u.role }, r)),
              );
              select.addEventListener('change', async () => {
                try {
                  const r = await api<{ user: UserRow }>('PATCH', `/api/v1/users/${u.id}`, { role: select.value });
                  u.role = r.user.role;
                  say(out, `${u.email} is now ${u.role === 'admin' ? 'an admin' : 'a viewer'}.`);
                } catch (e) {
                  select.value = u.role;
                  say(out, message(e), true);
                }
              });
              return select;
            },
          },
          { label: 'Last sign-in', cell: (u) => (u.must_change_password ? 'not yet (one-time password)' : dateTime(u.last_sign_in_at)) },
          {
            label: '',
            cell: (u) => {
              if (u.id === ctx.session.user.id) return 'you';
              const b = h('button', { type: 'button', class: 'secondary', disabled: !ctx.canWrite }, `Remove ${u.email}`);
              b.addEventListener('click', async () => {
                try {
                  await api('DELETE', `/api/v1/users/${u.id}`);
                  data.users = data.users.filter((x) => x.id !== u.id);
                  draw();
                } catch (e) {
                  say(out, message(e), true);
                }
              });
              return b;
            },
          },
        ],
        data.users,
      ),
    );
  const email = h('input', { type: 'email', name: 'invite_email', required: true, disabled: !ctx.canWrite });
  const role = h('select', { name: 'invite_role', disabled: !ctx.canWrite }, ['viewer', 'admin'].map((r) => h('option', { value: r }, r)));
  const password = h('output', { class: 'secret' });
  const form = h('form', { class: 'controls' }, field('Email', email), field('Role', role), h('button', { type: 'submit', disabled: !ctx.canWrite }, 'Invite'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api<{ user: UserRow; one_time_password: string }>('POST', '/api/v1/users', { email: email.value, role: role.value });
      data.users.push(r.user);
      draw();
      password.textContent = r.one_time_password;
      say(out, `Give ${r.user.email} this one-time password; it is shown only once.`);
    } catch (err) {
      say(out, message(err), true);
    }
  });
  draw();
  sec.append(host, form, password, out);
  return sec;
}

async function render(ctx: Ctx): Promise<void> {
  const s = await get<Settings>('/api/v1/settings');
  ctx.main.append(h('h1', null, 'Settings'));
  if (!ctx.canWrite) {
    ctx.main.append(h('p', { class: 'notice', id: 'read-only' }, 'You are a viewer: you can look, but only admins change settings.'));
  }
  ctx.main.append(
    settingsForm(ctx, s),
    await templates(ctx),
  );
  if (ctx.canWrite) {
    ctx.main.append(
      await adminList<{ keys: Key[] }>('/api/v1/keys', 'API keys', (d) => keysSection(ctx, d)),
      await adminList<{ users: UserRow[] }>('/api/v1/users', 'Users', (d) => usersSection(ctx, d)),
    );
  }
}

page({ pattern: '/settings', title: 'Settings', nav: 'Settings', navOrder: 90, render });
