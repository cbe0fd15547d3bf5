// The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core)
// against a real `vouch serve` with a seeded SQLite store and the tests' SMTP sink: sign-in, the
// overview's figures against the API's, filters, escaping, follow-up, CSV, sign-out, a viewer,
// CSRF, and the offer reaching the next activation mail. A screenshot of each page goes to
// VOUCH_SCREENSHOTS. Skipped only when Chromium is missing and neither CI nor
// VOUCH_REQUIRE_CHROMIUM (scripts/test.sh) is set.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CHROMIUM, mailText, playwright, SCREENSHOTS, waitFor, World } from './harness.mjs';

if (!existsSync(CHROMIUM)) {
  if (process.env.CI || process.env.VOUCH_REQUIRE_CHROMIUM) {
    throw new Error(`no Chromium at ${CHROMIUM}: CI must run the dashboard tests`);
  }
  console.log(`dashboard tests skipped: no Chromium at ${CHROMIUM}`);
  process.exit(0);
}

const ADMIN = { email: 'admin@shop.test', password: 'correct horse battery' };
const VIEWER = { email: 'viewer@shop.test', password: 'viewer horse battery' };
const XSS = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> arrived broken`;
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const N = 33; // orders, one survey each; survey i answers i % 11
let invitedPassword = ''; // the one-time password Settings showed for newcomer@shop.test

const world = new World();
let browser;
let admin; // the admin's page
const problems = []; // CSP violations and script errors on any page

function order(i, category) {
  const day = new Date(Date.now() - (i % 10) * 86_400_000).toISOString();
  return {
    id: `o-${i}`,
    created_at: day,
    currency: 'EUR',
    total_price: `${40 + i}.00`,
    customer: { id: `c-${i}`, email: `customer${i}@example.com`, first_name: `Cust${i}`, last_name: 'Omer' },
    line_items: [{ product_id: `p-${i % 4}`, title: 'Thing', category, quantity: 1, price: `${40 + i}.00` }],
  };
}

async function answerLinks() {
  return world
    .cli(['bench', 'links', '--shop', '1', '--limit', '1000', '--score', '0'])
    .trim()
    .split('\n')
    .map((u) => u.replace(/\/0$/, ''));
}

async function answer(link, score, comment) {
  const r = await fetch(`${link}/${score}`, { headers: { 'User-Agent': FIREFOX }, redirect: 'manual' });
  assert.ok(r.status < 400, `answer ${link}: ${r.status}`);
  // The answer page's script confirms from the browser (docs/answer-links.md): a click this soon
  // after the mail would otherwise be held as a scanner's.
  const confirm = await fetch(`${link}/${score}/confirm`, {
    method: 'POST',
    headers: { 'User-Agent': FIREFOX },
    redirect: 'manual',
  });
  assert.ok(confirm.status < 400, `confirm ${link}: ${confirm.status}`);
  if (comment) {
    const c = await fetch(`${link}/comment`, {
      method: 'POST',
      headers: { 'User-Agent': FIREFOX, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ comment }).toString(),
      redirect: 'manual',
    });
    assert.ok(c.status < 400, `comment ${link}: ${c.status}`);
  }
}

async function newPage(who) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  if (who) await signIn(page, who);
  return page;
}

async function signIn(page, who) {
  await page.goto(`${world.base}/overview`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/overview/);
  await page.waitForSelector('main[data-ready]');
}

async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// fetch() from the page, with its session cookie; `csrf`: send the session's token.
async function pageFetch(page, method, path, body, csrf) {
  return page.evaluate(
    async ({ method, path, body, csrf }) => {
      const headers = { 'Content-Type': 'application/json' };
      if (csrf) {
        const s = await (await fetch('/api/v1/session')).json();
        headers['X-CSRF-Token'] = s.csrf_token;
      }
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: await r.text() };
    },
    { method, path, body, csrf },
  );
}

before(async () => {
  world.key = JSON.parse(world.cli(['shop', 'create', '--name', 'Test Shop', '--url', 'https://shop.test'])).api_key;
  world.cli(['shop', 'set', '--id', '1', 'survey_delay_seconds=0']);
  world.cli(['user', 'create', '--shop', '1', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], `${ADMIN.password}\n`);
  world.cli(['user', 'create', '--shop', '1', '--email', VIEWER.email, '--role', 'viewer', '--password-stdin'], `${VIEWER.password}\n`);
  await world.startSink();
  await world.startServer();
  const categories = ['shoes', 'tents', 'jackets'];
  for (let i = 1; i <= N; ++i) await world.api('POST', '/api/v1/orders', order(i, categories[i % 3]));
  const links = await answerLinks();
  assert.equal(links.length, N);
  for (let i = 0; i < N; ++i) {
    const score = i % 11;
    const comment = i === 0 ? XSS : i === 1 ? 'Late delivery, nobody answered my mail' : i === 10 ? 'Love it' : '';
    await answer(links[i], score, comment);
  }
  browser = await playwright().chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await world.stop();
});

test('signing in opens the overview; a wrong password is refused', async () => {
  const page = await newPage();
  await page.goto(`${world.base}/`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong email or password.').waitFor();
  await shot(page, 'signin');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/overview/);
  await page.waitForSelector('main[data-figures=shown]');
  admin = page;
});

test("the overview's figures are the API's for the same range", async () => {
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  for (const segment of ['', 'tents']) {
    const q = new URLSearchParams({ from, to, ...(segment ? { segment } : {}) }).toString();
    await admin.goto(`${world.base}/overview?${q}`);
    await admin.waitForSelector('main[data-figures=shown]');
    const nps = await world.api('GET', `/api/v1/nps?${q}`);
    const funnel = await world.api('GET', `/api/v1/funnel?from=${from}&to=${to}`);
    const figure = (k) => admin.locator(`[data-figure="${k}"]`).innerText();
    assert.equal(await figure('nps'), nps.overall.nps.toFixed(1));
    assert.equal(await figure('answers'), String(nps.overall.n));
    assert.ok((await admin.locator('.figure', { hasText: 'NPS' }).innerText()).includes(`± ${nps.overall.margin.toFixed(1)}`));
    assert.equal(await figure('response-rate'), `${((100 * funnel.responses) / funnel.surveys_sent).toFixed(1)}%`);
    assert.equal(await figure('funnel-orders'), String(funnel.orders));
    assert.equal(await figure('funnel-responses'), String(funnel.responses));
    assert.equal(await figure('funnel-promoters'), String(funnel.promoters));
    const counts = await admin.locator('.histogram li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.count)));
    assert.deepEqual(counts, nps.scores);
    assert.equal(counts.reduce((a, b) => a + b, 0), nps.overall.n);
    if (!segment) assert.equal(nps.overall.n, N, 'every seeded answer is in range');
    else assert.ok(nps.overall.n > 0 && nps.overall.n < N, 'the segment is a part');
    assert.equal(await admin.locator('.chart canvas').count(), 1, 'the uPlot chart is drawn');
  }
  await admin.goto(`${world.base}/overview`);
  await admin.waitForSelector('main[data-figures=shown]');
  await shot(admin, 'overview');
  // On a phone the page reflows: nothing wider than the screen.
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.reload();
  await admin.waitForSelector('main[data-figures=shown]');
  assert.ok(await admin.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling');
  await shot(admin, 'overview-phone');
  await admin.setViewportSize({ width: 1280, height: 900 });
});

test('responses filter by category and score; a comment with markup shows as text', async () => {
  await admin.goto(`${world.base}/responses`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Category', { exact: true }).selectOption('detractor');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/category=detractor/);
  await admin.waitForSelector('main[data-ready]');
  const api = await world.api('GET', '/api/v1/responses?category=detractor&limit=100');
  const ids = await admin.locator('li.response').evaluateAll((lis) => lis.map((li) => Number(li.dataset.survey)));
  assert.deepEqual(ids.sort(), api.responses.map((r) => r.survey_id).sort());
  assert.ok(ids.length > 0);
  assert.equal(await admin.locator('li.response:not(.detractor)').count(), 0);

  const comment = admin.locator('blockquote.comment', { hasText: 'arrived broken' });
  assert.equal(await comment.innerText(), XSS, 'the markup shows as typed');
  assert.equal(await comment.locator('script, img').count(), 0, 'and is no element');
  assert.equal(await admin.evaluate(() => window.__pwned), undefined, 'and never ran');
  await shot(admin, 'responses');

  await admin.getByLabel('Score', { exact: true }).selectOption('1');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/score=1/);
  await admin.waitForSelector('main[data-ready]');
  const scores = await admin.locator('li.response .score').allInnerTexts();
  assert.ok(scores.length > 0);
  assert.ok(scores.every((s) => s === '1'), scores.join(','));
});

test('a detractor is followed up and resolved', async () => {
  await admin.goto(`${world.base}/responses?category=detractor&q=late%20delivery`);
  await admin.waitForSelector('main[data-ready]');
  const item = admin.locator('li.response', { hasText: 'Late delivery' });
  const survey = Number(await item.getAttribute('data-survey'));
  await item.getByLabel('Owner').fill('Sam');
  await item.getByLabel('Note').fill('Called back, refund sent');
  await item.getByRole('button', { name: 'Resolve' }).click();
  await item.locator('[data-followup=resolved]').waitFor();
  const resolved = await world.api('GET', '/api/v1/responses?followup=resolved&limit=100');
  const row = resolved.responses.find((r) => r.survey_id === survey);
  assert.ok(row, 'resolved in the API');
  assert.equal(row.followup.owner, 'Sam');
  assert.equal(row.followup.note, 'Called back, refund sent');
  await admin.reload();
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator(`li[data-survey="${survey}"] [data-followup]`).getAttribute('data-followup'), 'resolved');
});

test('the responses CSV downloads with the filters', async () => {
  await admin.goto(`${world.base}/responses?category=detractor`);
  await admin.waitForSelector('main[data-ready]');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('#responses-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  const api = await world.api('GET', '/api/v1/responses?category=detractor&limit=100');
  assert.match(lines[0], /score/);
  assert.equal(lines.length - 1, api.responses.length, csv);
  assert.ok(csv.includes('Late delivery'));
});

test('the other pages render', async () => {
  for (const [path, name] of [
    ['/promoters', 'promoters'],
    ['/referrals', 'referrals'],
    ['/settings', 'settings'],
  ]) {
    await admin.goto(`${world.base}${path}`);
    await admin.waitForSelector('main[data-ready]');
    assert.equal(await admin.locator('main [role=alert]').count(), 0, path);
    await shot(admin, name);
  }
  await admin.goto(`${world.base}/promoters`);
  await admin.waitForSelector('main[data-ready]');
  const first = admin.locator('main table tbody tr a').first();
  await first.click();
  await admin.waitForURL(/\/promoters\/c-/);
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator('main [role=alert]').count(), 0);
  await shot(admin, 'promoter');
});

test('a code paused by the coupon-leak rule is resumed from its promoter page', async () => {
  const { promoters } = await world.api('GET', '/api/v1/promoters');
  const id = promoters[0].customer_id;
  const code = (await world.api('GET', `/api/v1/promoters/${encodeURIComponent(id)}`)).codes[0].code;
  await world.api('PATCH', '/api/v1/settings', { coupon_leak_buyers: 1 });
  const leaked = await world.api('POST', '/api/v1/orders', {
    id: 'leak-1',
    created_at: new Date().toISOString(),
    currency: 'EUR',
    total_price: '50.00',
    customer: { id: 'leaker', email: 'leaker@example.com' },
    discount_codes: [code],
  });
  await world.api('PATCH', '/api/v1/settings', { coupon_leak_buyers: 10 });
  assert.equal(leaked.referral.status, 'coupon_leak');
  await admin.goto(`${world.base}/promoters/${encodeURIComponent(id)}`);
  await admin.waitForSelector('main[data-ready]');
  const button = admin.getByRole('button', { name: `Resume code ${code}` });
  await button.click();
  await admin.locator('main p.resume').filter({ hasText: 'resumed' }).waitFor();
  assert.ok(await button.isDisabled());
  const after = (await world.api('GET', `/api/v1/promoters/${encodeURIComponent(id)}`)).codes[0];
  assert.equal(after.paused_at, null);
  assert.ok(after.resumed_at);
  await admin.reload();
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.getByRole('button', { name: `Resume code ${code}` }).count(), 0);
});

test('the Growth page shows the program, themes, NPS change and channels as the API gives them', async () => {
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const range = `from=${from}&to=${to}`;
  await admin.goto(`${world.base}/growth?${range}`);
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator('main [role=alert]').count(), 0);
  const program = await world.api('GET', `/api/v1/program?${range}`);
  assert.ok(program.generations.length > 0, 'the answers of 9 and 10 activated promoters');
  const rows = admin.locator('[aria-label="Program by generation"] tbody tr');
  assert.equal(await rows.count(), program.generations.length + 1, 'each generation and all together');
  const first = await rows.first().locator('td').allInnerTexts();
  assert.equal(first[0], '0');
  assert.equal(first[1], String(program.generations[0].promoters));
  const g = program.generations[0];
  assert.equal(first[3], `${g.viral_coefficient.toFixed(2)} (${g.ci.low.toFixed(2)}\u2013${g.ci.high.toFixed(2)})`);
  const themes = await world.api('GET', `/api/v1/themes?${range}`);
  const text = await admin.locator('main').innerText();
  assert.ok(text.includes(`${themes.detractor_comments} detractors' and ${themes.promoter_comments} promoters' comments.`), text);
  const nps = await world.api('GET', '/api/v1/nps/compare');
  if (nps.a.n === 0 || nps.b.n === 0) {
    // A period without answers has no NPS and no test (the seeded answers are all recent).
    assert.ok(text.includes('No comparison: a period without answers.'), text);
    assert.ok(!text.includes('p = '), text);
  } else {
    assert.ok(text.includes(`p = ${nps.difference.p_value.toFixed(3)}`), text);
  }
  const channels = await world.api('GET', `/api/v1/compare/channels?${range}`);
  assert.equal(await admin.locator('[aria-label="Channels"] tbody tr').count(), channels.channels.length);
  assert.equal(await admin.evaluate(() => window.__pwned), undefined, 'comments show as text');
  await shot(admin, 'growth');
});

test('the Growth page cuts its reports by an audience picked by its (escaped) name', async () => {
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const range = `from=${from}&to=${to}`;
  const audience = await world.api('POST', '/api/v1/audiences', { name: 'Tents <img src=x onerror="window.__pwned=1">', categories: ['tents'] });
  await admin.goto(`${world.base}/growth?${range}`);
  await admin.waitForSelector('main[data-ready]');
  const picker = admin.getByLabel('Audience', { exact: true });
  await admin.waitForSelector('select[name=audience][data-loaded=true]');
  await picker.selectOption({ label: audience.name });
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(new RegExp(`audience=${audience.id}`));
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator('main [role=alert]').count(), 0);
  assert.equal(await admin.getByLabel('Audience', { exact: true }).inputValue(), String(audience.id));
  const cut = `${range}&audience=${audience.id}`;
  const program = await world.api('GET', `/api/v1/program?${cut}`);
  assert.equal(program.audience.id, audience.id);
  const text = await admin.locator('main').innerText();
  if (program.generations.length === 0) assert.ok(text.includes('No promoter was activated in this range.'), text);
  else assert.equal(await admin.locator('[aria-label="Program by generation"] tbody tr').count(), program.generations.length + 1);
  const themes = await world.api('GET', `/api/v1/themes?${cut}`);
  const whole = await world.api('GET', `/api/v1/themes?${range}`);
  assert.ok(themes.detractor_comments + themes.promoter_comments < whole.detractor_comments + whole.promoter_comments, 'tents only');
  assert.ok(text.includes(`${themes.detractor_comments} detractors' and ${themes.promoter_comments} promoters' comments.`), text);
  assert.equal(await admin.evaluate(() => window.__pwned), undefined, 'the audience name shows as text');
  await world.api('DELETE', `/api/v1/audiences/${audience.id}`);
});

test('a theme defined on the Growth page tags comments as the API counts them, over time too, and goes again', async () => {
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const range = `from=${from}&to=${to}`;
  await admin.goto(`${world.base}/growth?${range}`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Theme name').fill('Shipping');
  await admin.getByLabel('Keywords').fill('delivery, arrived');
  await admin.getByRole('button', { name: 'Add theme' }).click();
  await admin.getByText('Added Shipping.').waitFor();
  const report = await world.api('GET', `/api/v1/themes/tagged?${range}`);
  const shipping = report.themes.find((t) => t.name === 'Shipping');
  assert.equal(shipping.tagged, 2, 'the late delivery and the one that arrived broken');
  assert.equal(shipping.detractors.tagged, 2);
  const row = admin.locator('[aria-label="Defined themes"] tbody tr').filter({ hasText: 'Shipping' });
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[1], 'delivery, arrived');
  assert.equal(cells[2], '2');
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const d = shipping.detractors;
  assert.equal(cells[3], `${pct(d.share)} [${pct(d.ci_low)}, ${pct(d.ci_high)}]`);
  assert.equal(await admin.evaluate(() => window.__pwned), undefined, 'the example comment shows as text');
  const weeks = await world.api('GET', `/api/v1/themes/over-time?${range}&interval=week`);
  const filled = weeks.buckets.filter((b) => b.comments > 0);
  assert.equal(await admin.locator('[aria-label="Themes over time"] tbody tr').count(), filled.length);
  await shot(admin, 'growth-themes');
  // A viewer sees the theme but neither the form nor Delete.
  const viewer = await newPage(VIEWER);
  await viewer.goto(`${world.base}/growth?${range}`);
  await viewer.waitForSelector('main[data-ready]');
  assert.equal(await viewer.locator('[aria-label="Defined themes"] tbody tr').filter({ hasText: 'Shipping' }).count(), 1);
  assert.equal(await viewer.locator('#theme-form').count(), 0);
  assert.equal(await viewer.locator('[data-delete-theme]').count(), 0);
  await viewer.context().close();
  await admin.getByRole('button', { name: 'Delete theme Shipping' }).click();
  await admin.getByText('Deleted Shipping.').waitFor();
  assert.equal((await world.api('GET', '/api/v1/themes/defined')).themes.length, 0);
});

test('a request without the CSRF token is refused', async () => {
  const before = await world.api('GET', '/api/v1/settings');
  const refused = await pageFetch(admin, 'PATCH', '/api/v1/settings', { throttle_days: 7 }, false);
  assert.equal(refused.status, 403, refused.body);
  assert.equal((await world.api('GET', '/api/v1/settings')).throttle_days, before.throttle_days);
  const allowed = await pageFetch(admin, 'PATCH', '/api/v1/settings', { throttle_days: before.throttle_days }, true);
  assert.equal(allowed.status, 200, allowed.body);
});

test("the shop's contact email is set in Settings, stored lower-cased", async () => {
  await admin.goto(`${world.base}/settings`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Contact email', { exact: true }).fill('Owner@Shop.test');
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await admin.getByText('Saved.').waitFor();
  assert.equal((await world.api('GET', '/api/v1/settings')).contact_email, 'owner@shop.test');
});

test('the offer changed in Settings is in the next activation mail', async () => {
  await admin.goto(`${world.base}/settings`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Friend discount', { exact: true }).fill('27');
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await admin.getByText('Saved.').waitFor();
  assert.equal((await world.api('GET', '/api/v1/settings')).discount_value, 27);
  const mailsBefore = world.mails().length;
  await world.api('POST', '/api/v1/orders', order(100, 'shoes'));
  const links = await answerLinks();
  await answer(links[links.length - 1], 10);
  const activation = await waitFor('the activation mail', async () =>
    world.mails().slice(mailsBefore).find((m) => /customer100@example\.com/.test(m) && /Message-ID: <vouch\.activation\./i.test(m)),
  );
  assert.match(mailText(activation), /27/);
});

test('an admin creates an API key in Settings, which works until revoked; and invites a viewer', async () => {
  await admin.goto(`${world.base}/settings`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('New key name').fill('warehouse');
  await admin.getByRole('button', { name: 'Create key' }).click();
  await admin.locator('#keys output.secret').filter({ hasText: /vk_/ }).waitFor();
  const secret = (await admin.locator('#keys output.secret').innerText()).trim();
  assert.match(secret, /^vk_/);
  const withKey = () => fetch(`${world.base}/api/v1/settings`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal((await withKey()).status, 200);
  await admin.getByRole('button', { name: 'Revoke warehouse' }).click();
  await admin.getByText('Key warehouse revoked.').waitFor();
  assert.equal((await withKey()).status, 401);

  await admin.getByLabel('Email', { exact: true }).fill('newcomer@shop.test');
  await admin.getByRole('button', { name: 'Invite' }).click();
  await admin.locator('#users output.secret').filter({ hasText: /\S/ }).waitFor();
  const password = (await admin.locator('#users output.secret').innerText()).trim();
  assert.ok(password.length >= 8, password);
  invitedPassword = password;
  const users = await pageFetch(admin, 'GET', '/api/v1/users');
  const invited = JSON.parse(users.body).users.find((u) => u.email === 'newcomer@shop.test');
  assert.equal(invited?.role, 'viewer');
  await shot(admin, 'settings-admin');
});

test('a viewer sees settings read-only and the API refuses their changes', async () => {
  const page = await newPage(VIEWER);
  await page.goto(`${world.base}/settings`);
  await page.waitForSelector('main[data-ready]');
  await page.locator('#read-only').waitFor();
  const enabled = await page.locator('#settings-form input:enabled, #settings-form select:enabled, #settings-form button:enabled').count();
  assert.equal(enabled, 0, 'every control disabled');
  await shot(page, 'settings-viewer');
  const refused = await pageFetch(page, 'PATCH', '/api/v1/settings', { throttle_days: 3 }, true);
  assert.equal(refused.status, 403, refused.body);
  await page.context().close();
});

test('an invited user must choose a password before anything else', async () => {
  assert.ok(invitedPassword, 'the invitation test ran');
  const page = await newPage();
  await page.goto(`${world.base}/overview`);
  await page.getByLabel('Email').fill('newcomer@shop.test');
  await page.getByLabel('Password').fill(invitedPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#change-password').waitFor();
  await shot(page, 'change-password');
  // Until then the API answers only the password change (and who am I).
  const refused = await pageFetch(page, 'GET', '/api/v1/settings');
  assert.equal(refused.status, 403, refused.body);
  assert.match(JSON.parse(refused.body).detail, /one-time password/);
  assert.equal((await pageFetch(page, 'GET', '/api/v1/session')).status, 200);
  await page.getByLabel('One-time password').fill(invitedPassword);
  await page.getByLabel('New password', { exact: true }).fill('newcomer chose this');
  await page.getByLabel('New password again').fill('newcomer chose this');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForSelector('main[data-figures=shown]');
  assert.equal((await pageFetch(page, 'GET', '/api/v1/settings')).status, 200);
  await page.context().close();
  // The one-time password is gone; the chosen one signs in straight to the overview.
  const again = await newPage({ email: 'newcomer@shop.test', password: 'newcomer chose this' });
  assert.equal(await again.locator('#change-password').count(), 0);
  await again.context().close();
});

test('a sign-in posted from another site is refused (login CSRF)', async () => {
  const page = await newPage();
  // Another site's page with a form that posts JSON-looking text/plain to the sign-in (the classic
  // login CSRF: the browser would keep the attacker's session cookie).
  const [name, value] = [`{"email":"${ADMIN.email}","password":"${ADMIN.password}","x":"`, '"}'];
  await page.setContent(
    `<form method="post" enctype="text/plain" action="${world.base}/api/v1/session"><input name='${name}' value='${value}'></form>`,
  );
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/session')),
    page.evaluate(() => document.forms[0].submit()),
  ]);
  assert.equal(answer.status(), 403);
  assert.match(await answer.text(), /cross-site/);
  assert.deepEqual((await page.context().cookies(world.base)).filter((c) => c.name === 'vouch_session'), []);
  const forged = await fetch(`${world.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site' },
    body: JSON.stringify(ADMIN),
  });
  assert.equal(forged.status, 403);
  assert.equal(forged.headers.get('set-cookie'), null);
  await page.context().close();
});

test('Settings previews the built-in template and mails the draft as a test', async () => {
  const campers = await world.api('POST', '/api/v1/audiences', {
    name: 'Campers <b>',
    categories: ['tents'],
    offer: { discount_kind: 'percent', discount_value: 35, reward_minor: 500 },
  });
  await admin.goto(`${world.base}/settings`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Template', { exact: true }).selectOption('activation.txt');
  const editor = admin.getByLabel('Template (mustache)');
  await admin.waitForFunction(() => document.querySelector('form[data-loaded="en/activation.txt"]'));
  const builtin = await editor.inputValue();
  assert.match(builtin, /\{\{\s*code\s*\}\}/, 'the built-in text is loaded before any override exists');
  assert.ok((await admin.locator('pre.preview').innerText()).includes('ANNA-7Q2X'), 'and previewed');
  await editor.fill(`Draft for a test: {{code}} from {{shop_name}}, {{{friend_offer}}} off\n${builtin}`);
  // With an audience's own offer (issue 16), picked by its name.
  await admin.waitForSelector('select[name=test-offer][data-loaded=true]');
  await admin.getByLabel('Offer in the test').selectOption({ label: `Audience ${campers.name}` });
  const before = world.mails().length;
  await admin.getByRole('button', { name: 'Send me a test' }).click();
  await admin.getByText(/sent to admin@shop\.test/).waitFor();
  const mail = await waitFor('the test mail', async () => world.mails().slice(before).find((m) => /X-Vouch-Test: en\/activation\.txt/.test(m)));
  assert.match(mail, /^To: .*admin@shop\.test/m);
  assert.match(mail, /^Subject: \[Test\]/m);
  assert.match(mailText(mail), /Draft for a test: SAMPLE-CODE from Test Shop, 35% off/);
  // Unsaved: the shop still has no override.
  assert.equal((await world.api('GET', '/api/v1/templates')).overrides['en/activation.txt'], undefined);
  // A second one at once is throttled.
  await admin.getByRole('button', { name: 'Send me a test' }).click();
  await admin.getByText('A test mail went out a moment ago; wait half a minute.').waitFor();
  await shot(admin, 'settings-templates');
  await world.api('DELETE', `/api/v1/audiences/${campers.id}`);
});

test('the product category filters are selects of the categories seen in orders', async () => {
  const cats = await world.api('GET', '/api/v1/categories');
  assert.deepEqual(cats.categories.map((c) => c.category), ['jackets', 'shoes', 'tents']);
  await admin.goto(`${world.base}/overview`);
  await admin.waitForSelector('main[data-figures=shown]');
  const select = admin.getByLabel('Product category');
  await admin.waitForSelector('select[name=segment][data-loaded=true]');
  await select.selectOption('tents');
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(/segment=tents/);
  await admin.waitForSelector('main[data-figures=shown]');
  assert.equal(await admin.locator('select[name=segment]').inputValue(), 'tents');

  await admin.goto(`${world.base}/responses`);
  await admin.waitForSelector('select[name=segment][data-loaded=true]');
  await admin.getByLabel('Product category').selectOption('tents');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/segment=tents/);
  await admin.waitForSelector('main[data-ready]');
  const api = await world.api('GET', '/api/v1/responses?segment=tents&limit=100');
  assert.ok(api.responses.length > 0 && api.responses.every((r) => r.segment === 'tents'));
  const ids = await admin.locator('li.response').evaluateAll((lis) => lis.map((li) => Number(li.dataset.survey)));
  assert.deepEqual(ids.sort(), api.responses.map((r) => r.survey_id).sort());
});

test("an admin changes a user's role in Settings", async () => {
  await admin.goto(`${world.base}/settings`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByLabel('Role of newcomer@shop.test').selectOption('admin');
  await admin.getByText('newcomer@shop.test is now an admin.').waitFor();
  const users = JSON.parse((await pageFetch(admin, 'GET', '/api/v1/users')).body).users;
  assert.equal(users.find((u) => u.email === 'newcomer@shop.test').role, 'admin');
  await admin.getByLabel('Role of newcomer@shop.test').selectOption('viewer');
  await admin.getByText('newcomer@shop.test is now a viewer.').waitFor();
});

test('the referrals CSV downloads', async () => {
  await admin.goto(`${world.base}/referrals`);
  await admin.waitForSelector('main[data-ready]');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('#referrals-csv').click()]);
  const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  assert.match(lines[0], /^referral_id,created_at,order_id,code,/);
  const api = await world.api('GET', '/api/v1/referrals?limit=500');
  assert.equal(lines.length - 1, api.referrals.length);
});

test('the Import orders page uploads a CSV and shows the row report', async () => {
  await admin.goto(`${world.base}/overview`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import orders' }).click();
  await admin.waitForURL(/\/imports$/);
  const csv = [
    'id,created_at,currency,total_price,customer_id,email,first_name,last_name,product_id,title,category,quantity,price',
    'imp-1,2025-03-01T10:00:00Z,EUR,30.00,ic-1,imp1@example.com,Ima,Port,p-9,Lamp,lamps,1,30.00',
    'imp-2,2025-03-02T10:00:00Z,EUR,12.00,ic-2,not-an-email,Ima,Port,p-9,Lamp,lamps,1,12.00',
    'o-1,2025-03-03T10:00:00Z,EUR,41.00,c-1,customer1@example.com,Cust1,Omer,p-1,Thing,tents,1,41.00',
  ].join('\n');
  await admin.getByLabel('CSV file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await admin.getByRole('button', { name: 'Import' }).click();
  await admin.locator('#import-report').waitFor();
  const fig = (k) => admin.locator(`#import-report [data-figure="${k}"]`).innerText();
  assert.equal(await fig('created'), '1');
  assert.equal(await fig('existing'), '1');
  assert.equal(await fig('failed'), '1');
  assert.ok((await admin.locator('#import-report table').innerText()).includes('email'));
  await shot(admin, 'imports');
  // A reload of the page's own path is served by the server too (paths.txt from the pages).
  await admin.reload();
  await admin.locator('#import-form').waitFor();
});

test('the Webhooks page adds an endpoint, shows its secret once, lists, refuses loopback and deletes', async () => {
  await admin.goto(`${world.base}/overview`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await admin.waitForURL(/\/webhooks$/);
  await admin.locator('#webhook-list').getByText('No endpoints yet.').waitFor();
  const form = admin.locator('#webhook-form');
  // The server runs with the default: no posts into its own network.
  await form.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await form.locator('.status.error').waitFor();
  assert.match(await form.locator('.status').innerText(), /^url: .*loopback or private/);
  // A public address (TEST-NET-3: nothing answers, and nothing is sent here before it is deleted).
  await form.getByLabel('URL').fill('https://203.0.113.9/hooks/vouch');
  await form.getByLabel(/A promoter got their referral code/).check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = (await admin.locator('#webhook-secret code').innerText()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  const rows = admin.locator('#webhook-list tbody tr');
  await waitFor('the endpoint listed', async () => (await rows.count()) === 1);
  const row = await rows.first().innerText();
  assert.ok(row.includes('https://203.0.113.9/hooks/vouch') && row.includes('detractor.created, promoter.activated'), row);
  assert.ok(row.includes('Active'), row);
  // Slack: no secret; its URL (a bearer secret itself) is listed masked.
  await form.getByLabel('URL').fill('https://203.0.113.9/services/T0/B0/sl4ck-s3cret');
  await form.getByLabel('Kind').selectOption('slack');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await waitFor('the Slack endpoint listed', async () => (await rows.count()) === 2);
  assert.equal(await admin.locator('#webhook-secret').count(), 0, 'a Slack endpoint has no signing secret');
  await shot(admin, 'webhooks');
  // The secret was shown once: neither the page nor the API shows it again.
  await admin.reload();
  await waitFor('the list after a reload', async () => (await rows.count()) === 2);
  const page = await admin.locator('main').innerText();
  assert.ok(!page.includes(secret) && !page.includes('sl4ck-s3cret'), page);
  const listed = await pageFetch(admin, 'GET', '/api/v1/webhooks');
  assert.equal(listed.status, 200);
  assert.ok(!listed.body.includes(secret) && !listed.body.includes('sl4ck-s3cret'), listed.body);
  // The viewer may not manage (nor read) them.
  const viewer = await newPage(VIEWER);
  assert.equal((await pageFetch(viewer, 'GET', '/api/v1/webhooks')).status, 403);
  await viewer.close();
  for (let n = 2; n >= 1; --n) {
    const del = rows.first().getByRole('button', { name: /^Delete / });
    await del.click();
    assert.equal(await rows.count(), n, 'the first click only asks');
    await del.click();
    await waitFor('the endpoint deleted', async () => (await rows.count()) === n - 1);
  }
  await admin.locator('#webhook-list').getByText('No endpoints yet.').waitFor();
  assert.equal(JSON.parse((await pageFetch(admin, 'GET', '/api/v1/webhooks')).body).webhooks.length, 0);
});

test('the Experiments page lists an offer experiment, shows its test and adopts a variant', async () => {
  const created = await world.api('POST', '/api/v1/experiments', {
    name: 'Friend discount <b>trial</b>',
    metric: 'referred_orders',
    minimum_effect: 0.1,
    variants: [
      { name: 'Control', discount_kind: 'percent', discount_value: 15, reward_minor: 1000 },
      { name: 'Generous', discount_kind: 'percent', discount_value: 31, reward_minor: 1500 },
    ],
  });
  assert.equal(created.status, 'running');
  await admin.goto(`${world.base}/experiments`);
  await admin.waitForSelector('main[data-ready]');
  const link = admin.getByRole('link', { name: 'Friend discount <b>trial</b>' });
  await link.click();
  await admin.waitForURL(new RegExp(`/experiments/${created.id}$`));
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator('#experiment-verdict').getAttribute('data-decision'), 'running');
  assert.match(await admin.locator('main table').innerText(), /Friends get 31%; promoter earns 15\.00 EUR/);
  await shot(admin, 'experiment');
  // A viewer sees the results but no working buttons.
  const viewer = await newPage(VIEWER);
  await viewer.goto(`${world.base}/experiments/${created.id}`);
  await viewer.waitForSelector('main[data-ready]');
  assert.equal(await viewer.getByRole('button', { name: 'Adopt Generous' }).isDisabled(), true);
  await viewer.context().close();
  await admin.getByRole('button', { name: 'Adopt Generous' }).click();
  await admin.getByText('Status: adopted.', { exact: false }).waitFor();
  const settings = await world.api('GET', '/api/v1/settings');
  assert.equal(settings.discount_value, 31);
  assert.equal(settings.reward_minor, 1500);
  const after = await world.api('GET', `/api/v1/experiments/${created.id}`);
  assert.equal(after.status, 'adopted');
  assert.equal(after.adopted_variant, 1);
});

test('the Experiments page shows the holdout: held-out promoters get no code, their purchases compared', async () => {
  const set = await world.api('PATCH', '/api/v1/settings', { holdout_percent: 50 });
  assert.equal(set.holdout_percent, 50);
  const M = 16;
  const now = () => new Date().toISOString();
  for (let i = 0; i < M; ++i) await world.api('POST', '/api/v1/orders', { ...order(300 + i, 'tents'), created_at: now() });
  const links = (await answerLinks()).slice(-M);
  const held = [];
  for (const link of links) {
    await answer(link, 10);
    const page = await (await fetch(link + '/10', { headers: { 'User-Agent': FIREFOX } })).text();
    held.push(!page.includes('id="code"'));
  }
  const heldOut = held.filter(Boolean).length;
  assert.ok(heldOut > 0 && heldOut < M, `50% held out: ${heldOut} of ${M}`);
  // Every other new promoter orders again after answering.
  for (let i = 0; i < M; i += 2) {
    await world.api('POST', '/api/v1/orders', { ...order(300 + i, 'tents'), id: `again-${i}`, created_at: now() });
  }
  const report = await world.api('GET', '/api/v1/holdout');
  assert.equal(report.held_out.promoters, heldOut);
  assert.equal(report.activated.promoters, M - heldOut);
  assert.equal(report.activated.repeat_buyers + report.held_out.repeat_buyers, M / 2);
  await admin.goto(`${world.base}/experiments`);
  await admin.waitForSelector('main[data-ready]');
  const figure = (k) => admin.locator(`#holdout [data-figure="${k}"]`).innerText();
  assert.equal(await figure('held_out-promoters'), String(heldOut));
  assert.equal(await figure('activated-promoters'), String(M - heldOut));
  assert.equal(await figure('held_out-repeat'), String(report.held_out.repeat_buyers));
  assert.match(await admin.locator('#holdout').innerText(), /50% of new promoters are held out/);
  assert.match(await admin.locator('#holdout').innerText(), /Newcombe/);
  await shot(admin, 'holdout');
  await world.api('PATCH', '/api/v1/settings', { holdout_percent: 0 });
});

test('the Experiments page lists audiences; an admin adds one with its offer and deletes it', async () => {
  await admin.goto(`${world.base}/experiments`);
  await admin.waitForSelector('main[data-ready]');
  const form = admin.locator('#audience-form');
  await form.getByLabel('Name', { exact: true }).fill('Campers <i>x</i>');
  await form.getByLabel('Categories', { exact: true }).fill('tents, sleeping bags');
  await form.getByLabel('Locales', { exact: true }).fill('de');
  await form.getByLabel('Offer', { exact: true }).selectOption('percent');
  await form.getByLabel('Friend discount', { exact: true }).fill('25');
  await form.getByLabel('Promoter reward (minor units)', { exact: true }).fill('1500');
  await form.getByRole('button', { name: 'Add audience' }).click();
  const panel = admin.locator('#audiences');
  await panel.getByText('Campers <i>x</i>', { exact: true }).waitFor();
  const listed = await world.api('GET', '/api/v1/audiences');
  assert.equal(listed.audiences.length, 1);
  assert.deepEqual(listed.audiences[0].categories, ['tents', 'sleeping bags']);
  assert.deepEqual(listed.audiences[0].locales, ['de']);
  assert.equal(listed.audiences[0].offer.discount_value, 25);
  assert.match(await panel.innerText(), /Friends get 25%; promoter earns 15\.00 EUR/);
  await shot(admin, 'audiences');
  // A viewer sees the list but cannot delete.
  const viewer = await newPage(VIEWER);
  await viewer.goto(`${world.base}/experiments`);
  await viewer.waitForSelector('main[data-ready]');
  assert.equal(await viewer.locator('#audiences').getByRole('button', { name: 'Delete Campers <i>x</i>' }).isDisabled(), true);
  assert.equal(await viewer.locator('#audience-form').count(), 0);
  await viewer.context().close();
  await panel.getByRole('button', { name: 'Delete Campers <i>x</i>' }).click();
  await panel.getByText('No audiences yet', { exact: false }).waitFor();
  assert.equal((await world.api('GET', '/api/v1/audiences')).audiences.length, 0);
});

test('the Experiments page cuts the holdout and an experiment by an audience picked by its name', async () => {
  // The holdout test's promoters answered orders of 340.00 to 355.00 EUR: six of them 350.00 or more.
  const big = await world.api('POST', '/api/v1/audiences', { name: 'Big <i>baskets</i>', min_order_minor: 34950 });
  const whole = await world.api('GET', '/api/v1/holdout');
  const cut = await world.api('GET', `/api/v1/holdout?audience=${big.id}`);
  assert.equal(cut.audience.id, big.id);
  assert.equal(cut.activated.promoters + cut.held_out.promoters, 6, 'the six big baskets');
  assert.ok(whole.activated.promoters + whole.held_out.promoters > 6);
  await admin.goto(`${world.base}/experiments`);
  await admin.waitForSelector('main[data-ready]');
  const figure = (k) => admin.locator(`#holdout [data-figure="${k}"]`).innerText();
  assert.equal(await figure('activated-promoters'), String(whole.activated.promoters));
  await admin.waitForSelector('select[name=audience][data-loaded=true]');
  await admin.getByLabel('Audience', { exact: true }).selectOption({ label: big.name });
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(new RegExp(`/experiments\\?audience=${big.id}$`));
  await admin.waitForSelector('main[data-ready]');
  assert.equal(await admin.locator('main [role=alert]').count(), 0);
  assert.equal(await figure('activated-promoters'), String(cut.activated.promoters));
  assert.equal(await figure('held_out-promoters'), String(cut.held_out.promoters));
  assert.equal(await admin.locator('#holdout [data-audience]').innerText(), `Only the promoters of the audience ${big.name}.`);
  assert.equal(await admin.locator('#holdout i').count(), 0, 'the name is text');
  // An experiment's results, cut the same way (the link keeps the audience).
  const { experiments } = await world.api('GET', '/api/v1/experiments');
  const e = experiments[0];
  await admin.getByRole('link', { name: e.name }).click();
  await admin.waitForURL(new RegExp(`/experiments/${e.id}\\?audience=${big.id}$`));
  await admin.waitForSelector('main[data-ready]');
  const results = (await world.api('GET', `/api/v1/experiments/${e.id}?audience=${big.id}`)).results;
  assert.equal(results.audience.id, big.id);
  const promoters = await admin.locator('[aria-label="Variants"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[2].innerText));
  assert.deepEqual(promoters, results.variants.map((v) => String(v.promoters)));
  assert.equal(await admin.getByLabel('Audience', { exact: true }).inputValue(), String(big.id));
  assert.match(await admin.locator('main [data-audience]').innerText(), /Big <i>baskets<\/i>/);
  await shot(admin, 'experiments-audience');
  await world.api('DELETE', `/api/v1/audiences/${big.id}`);
});

test("the overview's NPS is cut by an audience picked by its name", async () => {
  const tents = await world.api('POST', '/api/v1/audiences', { name: 'Tent <b>people</b>', categories: ['tents'] });
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  await admin.goto(`${world.base}/overview?from=${from}&to=${to}`);
  await admin.waitForSelector('main[data-figures=shown]');
  const whole = await world.api('GET', `/api/v1/nps?from=${from}&to=${to}`);
  const figure = (k) => admin.locator(`[data-figure="${k}"]`).innerText();
  assert.equal(await figure('answers'), String(whole.overall.n));
  await admin.waitForSelector('select[name=audience][data-loaded=true]');
  await admin.getByLabel('Audience', { exact: true }).selectOption({ label: tents.name });
  await admin.getByRole('button', { name: 'Apply' }).click();
  await admin.waitForURL(new RegExp(`audience=${tents.id}`));
  await admin.waitForSelector('main[data-figures=shown]');
  const nps = await world.api('GET', `/api/v1/nps?from=${from}&to=${to}&audience=${tents.id}`);
  assert.equal(nps.audience.id, tents.id);
  assert.ok(nps.overall.n > 0 && nps.overall.n < whole.overall.n, 'the tents are a part');
  assert.equal(await figure('answers'), String(nps.overall.n));
  assert.equal(await figure('nps'), nps.overall.nps.toFixed(1));
  const counts = await admin.locator('.histogram li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.count)));
  assert.deepEqual(counts, nps.scores);
  assert.match(await admin.locator('.figure', { hasText: 'NPS' }).first().innerText(), /NPS \(Tent <b>people<\/b>\)/);
  assert.equal(await admin.locator('.figures b').count(), 0, 'the name is text');
  await world.api('DELETE', `/api/v1/audiences/${tents.id}`);
});

test('the Growth page follows the discovered terms over time beside the defined themes', async () => {
  // Five detractors write of a crushed parcel, five promoters of a lovely warm jacket.
  const K = 10;
  const now = () => new Date().toISOString();
  for (let i = 0; i < K; ++i) await world.api('POST', '/api/v1/orders', { ...order(500 + i, 'jackets'), created_at: now() });
  const links = (await answerLinks()).slice(-K);
  for (let i = 0; i < K; ++i) {
    if (i < 5) await answer(links[i], 2, 'The parcel came <b>crushed</b> <img src=x onerror="window.__pwned=3">');
    else await answer(links[i], 10, 'Lovely warm jacket');
  }
  const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const range = `from=${from}&to=${to}`;
  const weeks = await world.api('GET', `/api/v1/themes/over-time?${range}&interval=week&terms=discovered`);
  assert.ok(weeks.terms.some((t) => t.leans === 'detractors'), JSON.stringify(weeks.terms));
  assert.ok(weeks.terms.some((t) => t.leans === 'promoters'), JSON.stringify(weeks.terms));
  await admin.goto(`${world.base}/growth?${range}`);
  await admin.waitForSelector('main[data-ready]');
  const table = admin.locator('[aria-label="Discovered terms over time"]');
  const headers = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(headers.slice(2), weeks.terms.map((t) => `${t.display} (${t.leans})`));
  const filled = weeks.buckets.filter((b) => b.comments > 0);
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.innerText)));
  assert.equal(rows.length, filled.length);
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  filled.forEach((b, r) => {
    assert.equal(rows[r][0], b.start.slice(0, 10));
    assert.equal(rows[r][1], String(b.comments));
    b.terms.forEach((x, i) => {
      const share = x.share === null ? '–' : `${pct(x.share)} [${pct(x.ci_low)}, ${pct(x.ci_high)}]`;
      assert.ok(rows[r][2 + i].startsWith(`${x.tagged} · ${share}`), `${rows[r][2 + i]} for ${weeks.terms[i].term}`);
    });
  });
  assert.equal(await table.locator('b, img').count(), 0);
  assert.equal(await admin.evaluate(() => window.__pwned), undefined, 'comments and terms show as text');
  await shot(admin, 'growth-discovered');
});

test('signing out ends the session', async () => {
  await admin.goto(`${world.base}/overview`);
  await admin.waitForSelector('main[data-ready]');
  await admin.getByRole('button', { name: 'Sign out' }).click();
  await admin.waitForURL(/\/signin/);
  const r = await pageFetch(admin, 'GET', '/api/v1/session');
  assert.equal(r.status, 401);
  await admin.goto(`${world.base}/responses`);
  await admin.getByRole('button', { name: 'Sign in' }).waitFor();
});

test('no page broke the Content-Security-Policy or threw', () => {
  assert.deepEqual(problems, []);
});
