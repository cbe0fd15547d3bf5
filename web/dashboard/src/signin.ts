// Sign-in: email and password (and the shop when the email is a user of several), posted to
// /api/v1/session; the server sets the HttpOnly session cookie and answers the CSRF token.
import { api, ApiError, Session } from './api';
import { field, h, say, status } from './dom';

export function signInPage(done: (s: Session) => void): HTMLElement {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const shop = h('input', { type: 'number', name: 'shop_id', min: 1, inputmode: 'numeric' });
  const shopField = field('Shop number', shop, 'Only needed when your email signs in to several shops.');
  shopField.hidden = true;
  const out = status();
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card signin', novalidate: false },
    h('h1', null, 'Sign in to Vouch'),
    field('Email', email),
    field('Password', password),
    shopField,
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    say(out, 'Signing in…');
    try {
      const body: Record<string, unknown> = { email: email.value, password: password.value };
      if (shop.value) body.shop_id = Number(shop.value);
      const s = await api<Session>('POST', '/api/v1/session', body);
      say(out, '');
      done(s);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'shop_id') {
        shopField.hidden = false;
        shop.focus();
      }
      const text =
        err instanceof ApiError && err.status === 401
          ? 'Wrong email or password.'
          : err instanceof ApiError && err.status === 429
            ? 'Too many attempts. Wait a little and try again.'
            : err instanceof Error
              ? err.message
              : String(err);
      say(out, text, true);
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => email.focus());
  return h('div', { class: 'center' }, form);
}
