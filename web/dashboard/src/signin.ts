// Sign-in: email and password (and the shop when the email is a user of several), posted to
// /api/v1/session; the server sets the HttpOnly session cookie and answers the CSRF token.
import { api, ApiError, message, Session } from './api';
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

// After a sign-in with a one-time password (an invitation or `vouch user create`): the server
// answers every other call with 403 until the user chooses their own password here.
export function changePasswordPage(session: Session, done: () => void): HTMLElement {
  const current = h('input', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password', minlength: 8, required: true });
  const again = h('input', { type: 'password', name: 'new_password_again', autocomplete: 'new-password', minlength: 8, required: true });
  const out = status();
  const submit = h('button', { type: 'submit' }, 'Change password');
  const form = h(
    'form',
    { class: 'card signin', id: 'change-password' },
    h('h1', null, 'Choose your password'),
    h('p', null, `You signed in to ${session.user.shop_name} as ${session.user.email} with a one-time password. Choose your own password to continue.`),
    field('One-time password', current),
    field('New password', next, 'At least 8 characters.'),
    field('New password again', again),
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (next.value !== again.value) {
      say(out, 'The new passwords differ.', true);
      again.focus();
      return;
    }
    submit.disabled = true;
    say(out, 'Saving…');
    try {
      await api('POST', '/api/v1/session/password', { current_password: current.value, new_password: next.value });
      say(out, '');
      done();
    } catch (err) {
      say(out, err instanceof ApiError && err.field === 'current_password' ? 'The one-time password is wrong.' : message(err), true);
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => current.focus());
  return h('div', { class: 'center' }, form);
}
