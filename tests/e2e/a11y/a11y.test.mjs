// The customer's side in a real browser (issue 17): axe-core's WCAG 2.1 A and AA rules (tags
// wcag2a, wcag2aa, wcag21a, wcag21aa) over every customer-facing page state — the answer page
// counted, suspect (asking to confirm), changed and locked; the comment's thanks; unsubscribe
// before and after; a share link that does not exist; the message page; the question page a
// text message links to (/q/{token}) — and over the HTML part
// of every mail the real SMTP sink received (survey, reminder, activation, reward), in every
// shipped language (en, de), mails also in dark mode. Every page and mail must have zero
// violations, fit 320 px without sideways scrolling and at 200 % zoom (a 640 px wide viewport),
// and keep its tap targets at least 44 px. A keyboard test tabs through the answer scale (0 to
// 10 in order, each named for screen readers) and answers with Enter. Screenshots of each go to
// VOUCH_SCREENSHOTS. Skipped only when Chromium is missing and neither CI nor
// VOUCH_REQUIRE_CHROMIUM is set.
//
// Runs against a real `vouch serve` on SQLite with the tests' SMTP sink (tests/support), through
// the dashboard test's harness; playwright-core comes from the dashboard's node_modules
// (VOUCH_NODE_MODULES) and axe-core from this folder's lock file (VOUCH_A11Y_MODULES).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { CHROMIUM, playwright, waitFor, World } from '../dashboard/harness.mjs';

if (!existsSync(CHROMIUM)) {
  if (process.env.CI || process.env.VOUCH_REQUIRE_CHROMIUM) {
    throw new Error(`no Chromium at ${CHROMIUM}: CI must run the a11y tests`);
  }
  console.log(`a11y tests skipped: no Chromium at ${CHROMIUM}`);
  process.exit(0);
}

const SCREENSHOTS = process.env.VOUCH_SCREENSHOTS || join(process.cwd(), 'a11y-screenshots');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// A desktop browser's User-Agent: HeadlessChrome's own is on the scanner list (docs/answer-links.md).
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const LANGS = ['en', 'de'];
// What each language's pages and mails must say (so a page falling back to English fails).
const WORDS = {
  en: { low: 'not at all likely', high: 'extremely likely', notFound: 'Link not found', unsubscribed: 'unsubscribed' },
  de: {
    low: 'überhaupt nicht wahrscheinlich',
    high: 'äußerst wahrscheinlich',
    notFound: 'Link nicht gefunden',
    unsubscribed: 'abgemeldet',
  },
};
const REMIND_AFTER = 15; // seconds: the reminder setting of the test shops (every first click comes before)

const axeSource = readFileSync(
  createRequire(join(resolve(process.env.VOUCH_A11Y_MODULES || 'node_modules'), 'noop.js')).resolve(
    'axe-core/axe.min.js',
  ),
  'utf8',
);

const world = new World();
let browser;
const checked = { pages: 0, mails: 0, violations: 0 };
const shops = {}; // lang -> {id, key}

// --- Mail ----------------------------------------------------------------------------------------

// One part of a raw MIME mail ('plain' or 'html'), decoded (the sender writes base64 bodies).
function mailPart(raw, subtype) {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  assert.ok(boundary, 'a multipart mail');
  for (const part of raw.split(`--${boundary}`)) {
    const [head, ...rest] = part.split(/\r?\n\r?\n/);
    if (!new RegExp(`Content-Type: text/${subtype}`, 'i').test(head)) continue;
    const body = rest.join('\n\n');
    return /Content-Transfer-Encoding: base64/i.test(head)
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : body;
  }
  throw new Error(`no text/${subtype} part`);
}

function header(raw, name) {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(raw.split(/\r?\n\r?\n/)[0]);
  return m ? m[1].trim() : '';
}

// The mails of `kind` (survey, reminder, activation, reward) to `to`, by their Message-ID.
function mailsTo(to, kind) {
  return world.mails().filter((raw) => header(raw, 'To').includes(`<${to}>`) && header(raw, 'Message-ID').startsWith(`<vouch.${kind}.`));
}

async function waitMail(to, kind, count = 1) {
  return waitFor(`${kind} mail to ${to}`, async () => {
    const found = mailsTo(to, kind);
    return found.length >= count ? found[count - 1] : null;
  });
}

function answerLink(mail, score) {
  const m = new RegExp(`^${score}: (\\S+/s/[^/\\s]+/${score})$`, 'm').exec(mailPart(mail, 'plain'));
  assert.ok(m, `answer link ${score} in the text part`);
  return m[1];
}

function surveyIdOf(mail) {
  return Number(/<vouch\.survey\.(\d+)\./.exec(header(mail, 'Message-ID'))[1]);
}

// --- The shop --------------------------------------------------------------------------------------

async function api(lang, method, path, body) {
  const res = await fetch(world.base + path, {
    method,
    headers: { Authorization: `Bearer ${shops[lang].key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function order(lang, id, who, codes) {
  return api(lang, 'POST', '/api/v1/orders', {
    id: `${lang}-${id}`,
    created_at: new Date(Date.now() - 60_000).toISOString(),
    currency: 'EUR',
    total_price: '42.00',
    customer: { id: `${lang}-${who}`, email: `${who}.${lang}@example.com`, first_name: who, locale: lang },
    line_items: [{ product_id: 'p-1', title: 'Beans', category: 'coffee', quantity: 1, price: '42.00' }],
    ...(codes ? { discount_codes: codes } : {}),
  });
}

// Moves a survey's answer back 8 days in the SQLite file (answers can be changed for 7).
function ageAnswer(surveyId) {
  const db = world.env.VOUCH_DB.replace(/^sqlite:\/\//, '');
  const py = `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("UPDATE surveys SET answered_at = answered_at - 8*86400000 WHERE id = ?", (int(sys.argv[2]),))
c.commit()`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, db, String(surveyId)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// --- Checks --------------------------------------------------------------------------------------

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
}

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n');
}

// Tap targets: the answer scale, buttons, form fields and button-like links, at least 44 × 44 px.
async function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('nav.scale a, a.answer, .buttons a, a.button, button, input, textarea')]
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ e, r }) => `${e.outerHTML.slice(0, 80)} ${Math.round(r.width)}x${Math.round(r.height)}`),
  );
}

// Runs axe (zero violations), the tap target sizes, 320 px and 200 % zoom; saves screenshots.
async function check(page, name, { scheme } = {}) {
  const result = await axe(page);
  checked.violations += result.violations.length;
  assert.equal(result.violations.length, 0, `${name}: axe found\n${describe(result.violations)}`);
  assert.ok(result.passes.length > 0, `${name}: axe checked nothing`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const size = page.viewportSize();
  for (const width of [320, 640]) {
    await page.setViewportSize({ width, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: ${overflow} px of sideways scrolling at ${width} px`);
    assert.deepEqual(await smallTargets(page), [], `${name}: tap targets under 44 px at ${width} px`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
  if (!scheme) checked.pages += 1;
}

async function checkMail(page, raw, name, lang) {
  const html = mailPart(raw, 'html');
  // Built the way mail clients render: no external styles, scripts or web fonts; lang and dir;
  // a preheader; light and dark colour schemes declared.
  assert.doesNotMatch(html, /<link\b|<script\b|@import|@font-face|url\(/i, `${name}: external resources`);
  assert.match(html, new RegExp(`<html lang="${lang}" dir="ltr">`), `${name}: lang and dir`);
  assert.match(html, /<meta name="color-scheme" content="light dark">/, `${name}: color-scheme`);
  assert.match(html, /@media \(prefers-color-scheme: dark\)/, `${name}: dark mode block`);
  assert.match(html, /class="preheader"/, `${name}: preheader`);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setContent(html, { waitUntil: 'load' });
    await check(page, `${name}${scheme === 'dark' ? '-dark' : ''}`, { scheme: 'mail' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  checked.mails += 1;
}

async function newPage(lang) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: lang === 'de' ? 'de-DE' : 'en-US',
    userAgent: CHROME_UA,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

// --- The world -----------------------------------------------------------------------------------

before(async () => {
  await world.startSink();
  for (const lang of LANGS) {
    const made = JSON.parse(world.cli(['shop', 'create', '--name', `Rösterei ${lang}`, '--url', 'https://shop.example/']));
    shops[lang] = { id: made.shop_id, key: made.api_key };
    world.cli(['shop', 'set', '--id', String(made.shop_id), 'survey_delay_seconds=0', 'reward_hold_days=0', `locale=${lang}`,
      `reminder_after_seconds=${REMIND_AFTER}`]);
  }
  await world.startServer();
  browser = await playwright().chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await world.stop();
  console.log(`a11y: ${checked.pages} page states and ${checked.mails} mails checked, ${checked.violations} violations`);
});

for (const lang of LANGS) {
  test(`${lang}: every customer page state and every mail passes axe (WCAG 2.1 A/AA)`, async () => {
    const words = WORDS[lang];
    const people = ['anna', 'ben', 'cara', 'dan', 'eva', 'fay'];
    for (const who of people) await order(lang, who, who);
    const mail = {};
    for (const who of people) mail[who] = await waitMail(`${who}.${lang}@example.com`, 'survey');
    // A click within 2 s of the mail server accepting the mail is held as a scanner's.
    await new Promise((r) => setTimeout(r, 2500));
    const page = await newPage(lang);

    // Every first click, and fay's one-click unsubscribe, long before the reminders are due:
    // only eva, who does nothing, gets one.
    await page.goto(answerLink(mail.anna, 10));
    await page.locator('#score').waitFor();
    const suspect = await newPage(lang);
    await suspect.goto(answerLink(mail.ben, 3));
    await suspect.goto(answerLink(mail.ben, 5));
    await suspect.locator('#confirm').waitFor();
    for (const [who, score] of [['cara', 8], ['dan', 4]]) {
      const r = await fetch(answerLink(mail[who], score), { headers: { 'User-Agent': CHROME_UA } });
      assert.equal(r.status, 200);
    }
    const unsubFay = /^\S+: (\S+\/u\/\S+)$/m.exec(mailPart(mail.fay, 'plain'))[1];
    const one = await fetch(unsubFay, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(one.status, 200);

    // Counted (a promoter: the share section with its code), confirmed from the page's script.
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await check(page, `${lang}-answer-counted`);
    const activation = await waitMail(`anna.${lang}@example.com`, 'activation');
    const code = (await page.locator('#code').textContent()).trim();
    assert.equal(await page.locator('label[for="share-url"]').count(), 1, 'the share link has a label');

    // Suspect: a second score within the burst window asks to confirm.
    await check(suspect, `${lang}-answer-suspect`);
    await suspect.context().close();

    // Locked: an answer older than the week it can be changed in.
    ageAnswer(surveyIdOf(mail.cara));
    await page.goto(answerLink(mail.cara, 3)); // a click after the week: the locked page
    await check(page, `${lang}-answer-locked`);
    assert.equal(await page.locator('nav.scale').count(), 0, 'a locked answer shows no scale');

    // The comment's thanks.
    await page.goto(answerLink(mail.dan, 4).replace(/\/4$/, ''));
    await page.locator('#comment').fill('The parcel came late.');
    await page.locator('form.comment button').click();
    await page.locator('.saved').waitFor();
    await check(page, `${lang}-comment-thanks`);

    // Unsubscribe, before and after.
    const unsub = /^\S+: (\S+\/u\/\S+)$/m.exec(mailPart(mail.dan, 'plain'))[1];
    await page.goto(unsub);
    await check(page, `${lang}-unsubscribe-before`);
    await page.locator('#unsubscribe').click();
    await page.locator('#done').waitFor();
    assert.match(await page.locator('#done').textContent(), new RegExp(words.unsubscribed));
    await check(page, `${lang}-unsubscribe-after`);

    // A share link that does not exist, and the message page for a mistyped answer link, in the
    // browser's language.
    let res = await page.goto(`${world.base}/r/NOSUCH-CODE`);
    assert.equal(res.status(), 404);
    assert.match(await page.locator('h1').textContent(), new RegExp(words.notFound));
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await check(page, `${lang}-share-link-not-found`);
    res = await page.goto(`${world.base}/s/not-a-token`);
    assert.equal(res.status(), 404);
    await check(page, `${lang}-message`);

    // A friend orders with anna's code: the reward mail.
    await order(lang, 'friend', 'fritz', [code]);
    const reward = await waitMail(`anna.${lang}@example.com`, 'reward');

    // Changed: the keyboard path through the scale on anna's page, then Enter answers 7.
    await page.goto(answerLink(mail.anna, 10).replace(/\/10$/, ''));
    const order0 = [];
    await page.locator('body').focus();
    for (let i = 0; i < 40 && order0.length < 11; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.closest('nav.scale') ? { href: a.getAttribute('href'), name: a.getAttribute('aria-label') } : null;
      });
      if (f) order0.push(f);
      else if (order0.length > 0) break;
    }
    assert.deepEqual(order0.map((f) => Number(f.href.split('/').pop())), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      'Tab reaches the eleven answers in order, one after another');
    assert.equal(order0[0].name, `0, ${words.low}`);
    assert.equal(order0[10].name, `10, ${words.high}`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '7');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    if (await page.locator('#confirm').count()) {
      await page.locator('#confirm').focus();
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    }
    assert.equal((await page.locator('#score').textContent()).trim(), '7');
    assert.equal((await page.locator('nav.scale [aria-current="true"]').textContent()).trim(), '7');
    await check(page, `${lang}-answer-changed`);

    // The reminder: eva never answered and gets exactly one, with the same answer links; the
    // others answered (or fay unsubscribed) before it was due and get none.
    const reminder = await waitMail(`eva.${lang}@example.com`, 'reminder');
    assert.equal(answerLink(reminder, 6), answerLink(mail.eva, 6));
    const funnel = await waitFor('the reminder in the funnel', async () => {
      const f = await api(lang, 'GET', '/api/v1/funnel');
      return f.reminders_sent >= 1 ? f : null;
    });
    // (fritz, the referred friend, has a survey and may be reminded too by now.)
    assert.ok(funnel.surveys_sent >= people.length, JSON.stringify(funnel));
    assert.equal(funnel.responses_after_reminder, 0);
    assert.ok(funnel.response_rate > 0 && funnel.response_rate === funnel.response_rate_without_reminders);
    assert.equal(typeof funnel.response_rate_without_reminders, 'number');
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(mailsTo(`eva.${lang}@example.com`, 'reminder').length, 1, 'one reminder only');
    for (const who of ['anna', 'ben', 'cara', 'dan', 'fay']) {
      assert.equal(mailsTo(`${who}.${lang}@example.com`, 'reminder').length, 0, `no reminder to ${who}`);
    }

    // The question page a text message links to (/q/{token}): eva's survey is still open, so it
    // shows the question and the eleven answers, each a link to the answer with that score.
    const question = answerLink(mail.eva, 6).replace('/s/', '/q/').replace(/\/6$/, '');
    res = await page.goto(question);
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    const answers = await page.locator('nav.scale a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(answers, [...Array(11).keys()].map((s) => answerLink(mail.eva, s)));
    await check(page, `${lang}-question-sms`);

    // Every mail's HTML part.
    const mailPage = await newPage(lang);
    await checkMail(mailPage, mail.anna, `${lang}-mail-survey`, lang);
    await checkMail(mailPage, reminder, `${lang}-mail-reminder`, lang);
    await checkMail(mailPage, activation, `${lang}-mail-activation`, lang);
    await checkMail(mailPage, reward, `${lang}-mail-reward`, lang);
    // The survey mail's text part is complete: every answer link, the scale's ends in words.
    const text = mailPart(mail.anna, 'plain');
    for (let s = 0; s <= 10; s++) answerLink(mail.anna, s);
    assert.match(text, new RegExp(words.low));
    assert.match(text, new RegExp(words.high));
    await page.context().close();
    await mailPage.context().close();
  });
}

// The dashboard's Growth page (issue 16), with the figures of the shops above and for a range
// with nothing in it (every table's empty state): axe, no violations.
test('the dashboard Growth page passes axe with figures and empty', async () => {
  const admin = { email: 'growth-admin@example.com', password: 'growth horse battery staple' };
  world.cli(['user', 'create', '--shop', String(shops.en.id), '--email', admin.email, '--role', 'admin', '--password-stdin'],
    `${admin.password}\n`);
  const page = await newPage('en');
  await page.goto(`${world.base}/overview`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/overview/);
  await page.waitForSelector('main[data-ready]');
  for (const [range, name] of [['from=2000-01-01', 'growth'], ['from=2000-01-01&to=2000-01-02', 'growth-empty']]) {
    await page.goto(`${world.base}/growth?${range}`);
    await page.waitForSelector('main[data-ready]');
    assert.equal(await page.locator('main [role=alert]').count(), 0, name);
    const result = await axe(page);
    checked.violations += result.violations.length;
    assert.equal(result.violations.length, 0, `${name}: axe found\n${describe(result.violations)}`);
    assert.ok(result.passes.length > 0, `${name}: axe checked nothing`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}.png`), fullPage: true });
    checked.pages += 1;
  }
  await page.context().close();
});
