// Webhooks: the shop's outgoing endpoints (GET/POST/DELETE /api/v1/webhooks): a signed JSON
// endpoint (Standard Webhooks) or a Slack incoming webhook, with the events each wants. The
// signing secret is in the creation's answer only: shown here once, with a warning, and never
// fetched again. Admins only (the API refuses viewers).
import { api, get, message } from './api';
import { Ctx, page } from './app';
import { field, h, say, status } from './dom';
import { dateTime } from './format';
import { table } from './table';

interface Webhook {
  id: number;
  url: string;
  kind: 'standard' | 'slack';
  events: string[];
  status: 'active' | 'failing' | 'disabled';
  created_at: string;
  last_error: string;
  failing_since: string | null;
  disabled_at: string | null;
}

const EVENTS: [string, string][] = [
  ['response.created', 'A customer answered the survey'],
  ['detractor.created', 'A detractor answered (score 0 to 6)'],
  ['promoter.activated', 'A promoter got their referral code'],
  ['referral.created', 'A referred friend ordered'],
  ['referral.qualified', 'A referral qualified'],
  ['referral.rejected', 'A referral was rejected'],
  ['reward.released', 'A reward was released'],
  ['reward.voided', 'A reward was voided'],
  ['reward.clawed_back', 'A released reward was clawed back'],
];

function statusText(w: Webhook): string {
  if (w.status === 'disabled') return `Disabled ${dateTime(w.disabled_at)}`;
  if (w.status === 'failing') return `Failing since ${dateTime(w.failing_since)}`;
  return 'Active';
}

async function render(ctx: Ctx): Promise<void> {
  ctx.main.append(h('h1', null, 'Webhooks'));
  if (!ctx.canWrite) {
    ctx.main.append(h('p', { class: 'notice' }, 'Only admins manage webhooks.'));
    return;
  }
  const listHost = h('section', { class: 'card', id: 'webhook-list', 'aria-label': 'Endpoints' });
  const listStatus = status();
  const secretHost = h('div');

  const load = async () => {
    try {
      const r = await get<{ webhooks: Webhook[] }>('/api/v1/webhooks');
      listHost.replaceChildren(
        h('h2', null, 'Endpoints'),
        table<Webhook>(
          'Webhook endpoints',
          [
            { label: 'URL', cell: (w) => h('code', null, w.url) },
            { label: 'Kind', cell: (w) => (w.kind === 'slack' ? 'Slack' : 'Signed JSON') },
            { label: 'Events', cell: (w) => w.events.join(', ') },
            { label: 'Status', cell: (w) => (w.last_error && w.status !== 'active' ? `${statusText(w)}: ${w.last_error}` : statusText(w)) },
            {
              label: 'Actions',
              cell: (w) => {
                const del = h('button', { type: 'button', class: 'link', 'data-delete': String(w.id), 'aria-label': `Delete ${w.url}` }, 'Delete');
                // Two clicks, no dialog: the first asks, the second deletes.
                del.addEventListener('click', async () => {
                  if (del.dataset.armed !== '1') {
                    del.dataset.armed = '1';
                    del.textContent = 'Really delete? Undelivered events are dropped';
                    return;
                  }
                  try {
                    await api<void>('DELETE', `/api/v1/webhooks/${w.id}`);
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
          r.webhooks,
          'No endpoints yet.',
        ),
        listStatus,
      );
    } catch (e) {
      say(listStatus, message(e), true);
      listHost.replaceChildren(listStatus);
    }
  };

  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://example.com/hooks/vouch', maxlength: 2000 });
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'standard' }, 'Signed JSON (Standard Webhooks)'),
    h('option', { value: 'slack' }, 'Slack incoming webhook'),
  );
  const boxes = EVENTS.map(([name, label]) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'events', value: name, checked: name === 'detractor.created' }), ` ${label} `, h('code', null, name)),
  );
  const submit = h('button', { type: 'submit' }, 'Add endpoint');
  const out = status();
  const form = h(
    'form',
    { class: 'card', id: 'webhook-form' },
    h('h2', null, 'Add an endpoint'),
    h('p', null, 'Vouch posts the events you choose to this address, retrying for 24 hours when it does not answer 2xx. An endpoint failing for 5 days is disabled and the shop’s admins are mailed.'),
    field('URL', url, 'For Slack: the incoming-webhook URL from your Slack app (https://hooks.slack.com/services/…).'),
    field('Kind', kind),
    h('fieldset', null, h('legend', null, 'Events'), boxes),
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const events = boxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
    submit.disabled = true;
    try {
      const r = await api<{ webhook: Webhook; secret: string | null }>('POST', '/api/v1/webhooks', { url: url.value, kind: kind.value, events });
      say(out, `Added ${r.webhook.url}.`);
      url.value = '';
      const shown = r.secret
        ? h(
            'section',
            { class: 'card', id: 'webhook-secret', role: 'alert' },
            h('h2', null, 'Signing secret'),
            h('p', null, 'Copy it now: it is shown this once. Your receiver checks each delivery’s webhook-signature header with it.'),
            h('code', { class: 'secret' }, r.secret),
          )
        : null;
      secretHost.replaceChildren(...(shown ? [shown] : []));
      await load();
    } catch (err) {
      say(out, message(err), true);
    } finally {
      submit.disabled = false;
    }
  });
  ctx.main.append(form, secretHost, listHost);
  await load();
}

page({ pattern: '/webhooks', title: 'Webhooks', nav: 'Webhooks', navOrder: 70, render });
