// The shell: pages registered by path pattern, client-side navigation (History API), the
// navigation bar, sign-out. A later feature (webhooks, SMS, ...) adds a page with one
// `page({...})` call in its own file (with `nav` and `navOrder` to be listed) and one import in
// main.ts; the navigation lists it (imports.ts is the example).
import { api, Session, setCsrf, whenUnauthenticated } from './api';
import { clear, h } from './dom';
import { changePasswordPage } from './signin';

export interface Ctx {
  session: Session;
  params: Record<string, string>;
  query: URLSearchParams;
  main: HTMLElement;
  navigate: (url: string, replace?: boolean) => void;
  canWrite: boolean;
}

export interface Page {
  pattern: string; // "/promoters/{id}"
  title: string;
  nav?: string; // label in the navigation; absent for detail pages
  // Where the navigation lists it: lower first (Overview 10, Promoters 20, Responses 30,
  // Referrals 40, Import orders 60, Settings 90; webhooks, SMS and the like fit between).
  // Without one, after the others in registration order.
  navOrder?: number;
  render: (ctx: Ctx) => Promise<void> | void;
}

// The one place a page registers itself: `page({...})` in its own file, imported by main.ts.
const pages: Page[] = [];
export function page(p: Page): void {
  pages.push(p);
}

export function navPages(): Page[] {
  const order = (p: Page) => p.navOrder ?? 1000;
  return pages.filter((p) => p.nav).sort((a, b) => order(a) - order(b)); // stable: ties keep their order
}

let session: Session | null = null;
let signInPage: ((done: (s: Session) => void) => HTMLElement) | null = null;
export function setSignIn(fn: (done: (s: Session) => void) => HTMLElement): void {
  signInPage = fn;
}

function match(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; ++i) {
    const m = /^\{(\w+)\}$/.exec(ps[i]);
    if (m) params[m[1]] = decodeURIComponent(xs[i]);
    else if (ps[i] !== xs[i]) return null;
  }
  return params;
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void route();
}

function shell(current: string): { root: HTMLElement; main: HTMLElement } {
  const s = session!;
  const nav = h(
    'nav',
    { 'aria-label': 'Main' },
    h(
      'ul',
      null,
      navPages().map((p) => {
          const here = current === p.pattern || (p.pattern !== '/' && current.startsWith(p.pattern));
          return h('li', null, h('a', { href: p.pattern, 'aria-current': here ? 'page' : null }, p.nav!));
        }),
    ),
  );
  const signOut = h('button', { type: 'button', class: 'link', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    try {
      await api('DELETE', '/api/v1/session');
    } finally {
      session = null;
      setCsrf('');
      navigate('/signin');
    }
  });
  const header = h(
    'header',
    { class: 'top' },
    h('a', { href: '/overview', class: 'brand' }, 'Vouch'),
    h('span', { class: 'shop' }, s.user.shop_name),
    nav,
    h(
      'div',
      { class: 'who' },
      h('span', { class: 'email' }, s.user.email),
      h('span', { class: `role role-${s.user.role}` }, s.user.role),
      signOut,
    ),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  return { root: h('div', { class: 'layout' }, header, main), main };
}

async function route(): Promise<void> {
  const app = document.getElementById('app')!;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (!session) {
    try {
      const s = await api<Session>('GET', '/api/v1/session');
      session = s;
      setCsrf(s.csrf_token);
    } catch {
      session = null;
    }
  }
  if (!session || path === '/signin') {
    if (session && path === '/signin') return navigate('/overview', true);
    clear(app);
    document.title = 'Sign in · Vouch';
    const main = h('main', { id: 'main', tabindex: '-1' });
    main.appendChild(
      signInPage!((s) => {
        session = s;
        setCsrf(s.csrf_token);
        const next = new URLSearchParams(location.search).get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/overview', true);
      }),
    );
    app.appendChild(main);
    return;
  }
  if (session.user.must_change_password) {
    const s = session;
    clear(app);
    document.title = 'Choose your password · Vouch';
    const main = h('main', { id: 'main', tabindex: '-1' });
    main.appendChild(
      changePasswordPage(s, () => {
        s.user.must_change_password = false;
        navigate(path === '/signin' ? '/overview' : location.pathname + location.search, true);
      }),
    );
    app.appendChild(main);
    return;
  }
  const target = path === '/' ? '/overview' : path;
  let found: { p: Page; params: Record<string, string> } | null = null;
  for (const p of pages) {
    const params = match(p.pattern, target);
    if (params) {
      found = { p, params };
      break;
    }
  }
  const { root, main } = shell(found?.p.pattern ?? '');
  clear(app);
  app.appendChild(root);
  if (!found) {
    document.title = 'Not found · Vouch';
    main.appendChild(h('h1', null, 'Not found'));
    return;
  }
  document.title = `${found.p.title} · Vouch`;
  const ctx: Ctx = {
    session,
    params: found.params,
    query: new URLSearchParams(location.search),
    main,
    navigate,
    canWrite: session.user.role === 'admin',
  };
  try {
    await found.p.render(ctx);
  } catch (e) {
    main.appendChild(h('p', { class: 'error', role: 'alert' }, `Could not load this page: ${String(e)}`));
  }
  main.dataset.ready = 'true';
  // After a navigation, focus moves to the new page (screen readers announce it; Tab continues there).
  if (!firstRoute) main.focus();
  firstRoute = false;
}

let firstRoute = true;

export function start(): void {
  whenUnauthenticated(() => {
    if (session) {
      session = null;
      navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    }
  });
  window.addEventListener('popstate', () => void route());
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || a.hasAttribute('download') || a.target) return;
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  void route();
}
