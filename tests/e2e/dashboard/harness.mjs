// The dashboard tests' world: a real `vouch serve` on a loopback port with its own SQLite file,
// the tests' real SMTP sink (tests/support/smtp_sink.py), a seeded shop, an admin and a viewer,
// and Debian's Chromium driven by playwright-core (from the build tree's node_modules).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const VOUCH = process.env.VOUCH_BIN && resolve(process.env.VOUCH_BIN);
export const CHROMIUM = process.env.VOUCH_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = process.env.VOUCH_SCREENSHOTS || join(process.cwd(), 'dashboard-screenshots');

export function playwright() {
  const modules = process.env.VOUCH_NODE_MODULES;
  if (!modules) throw new Error('VOUCH_NODE_MODULES must name the node_modules with playwright-core');
  return createRequire(join(resolve(modules), 'noop.js'))('playwright-core');
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitFor(what, fn, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class World {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'vouch-dashboard-'));
    this.maildir = join(this.dir, 'mail');
    mkdirSync(this.maildir);
    this.procs = [];
    this.env = { ...process.env, VOUCH_DB: `sqlite://${join(this.dir, 'vouch.db')}`, VOUCH_LOG_LEVEL: 'warn' };
  }

  cli(args, input) {
    const r = spawnSync(VOUCH, args, { env: this.env, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vouch ${args.join(' ')}: ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  async startSink() {
    const p = spawn('/usr/bin/python3', [join(here, '..', '..', 'support', 'smtp_sink.py'), '--dir', this.maildir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.procs.push(p);
    this.smtpPort = await new Promise((resolve, reject) => {
      let out = '';
      p.stdout.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      p.on('exit', (code) => reject(new Error(`SMTP sink exited ${code}`)));
    });
  }

  async startServer() {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    Object.assign(this.env, {
      VOUCH_LISTEN: `127.0.0.1:${this.port}`,
      VOUCH_PUBLIC_URL: this.base,
      VOUCH_SMTP_URL: `smtp://127.0.0.1:${this.smtpPort}`,
      VOUCH_MAIL_FROM: 'shop@vouch.test',
      VOUCH_HTTP_THREADS: '2',
      VOUCH_HANDLER_THREADS: '4',
      VOUCH_WORKERS: '1',
      // The seed answers hundreds of surveys from one address: no per-client limit on /s here.
      VOUCH_PUBLIC_RATE: '0',
    });
    const p = spawn(VOUCH, ['serve'], { env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.procs.push(p);
    await waitFor('vouch serve', async () => (await fetch(`${this.base}/healthz`)).ok);
  }

  // Every mail the sink received, as raw text.
  mails() {
    if (!existsSync(this.maildir)) return [];
    return readdirSync(this.maildir)
      .filter((f) => f.endsWith('.eml'))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => readFileSync(join(this.maildir, f), 'utf8'));
  }

  async api(method, path, body, headers = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async stop() {
    for (const p of this.procs.reverse()) {
      if (p.exitCode === null) {
        p.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            p.kill('SIGKILL');
            r();
          }, 5000);
          p.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// The text part of a raw MIME mail, decoded (the sender writes base64 bodies).
export function mailText(raw) {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    if (!/Content-Type: text\/plain/i.test(part)) continue;
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    const body = rest.join('\n\n');
    return /Content-Transfer-Encoding: base64/i.test(head)
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : body;
  }
  return raw;
}
