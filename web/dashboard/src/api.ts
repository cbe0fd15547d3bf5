// The JSON API with the session cookie: every state-changing request carries the session's
// CSRF token (X-CSRF-Token); errors are RFC 9457 problems, thrown as ApiError.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail || title || `HTTP ${status}`);
  }
}

export interface User {
  id: number;
  email: string;
  role: 'admin' | 'viewer';
  shop_id: number;
  shop_name: string;
  must_change_password: boolean; // signed in with a one-time password: only a password change is allowed
}
export interface Session {
  user: User;
  csrf_token: string;
}

let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

// Called on a 401 (the session ended elsewhere): the app shows the sign-in page.
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
}

// A request whose body is sent as it is (a file's bytes, a template's text) with `contentType`.
export async function send<T>(method: string, path: string, body: BodyInit | undefined, contentType: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const p = (data ?? {}) as { title?: string; detail?: string; field?: string };
    if (res.status === 401 && path !== '/api/v1/session') onUnauthenticated();
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? '', p.field);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

// A query string from the set members of `q` ("?a=1&b=x"), or "".
export function query(q: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.field ? `${e.field}: ${e.message}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
