// The dashboard's overview of a big shop, timed in the browser: a shop with --rows answered
// surveys (default one million) over --days days, seeded straight into SQLite by vouch_nps_seed
// (surveys and the nps_daily rollup, and with --funnel 1 what the funnel counts: each answer's
// customer, order and item, and for one promoter in 20 a code, its activation, share visits and
// a referred order with its referral and reward), served by a real `vouch serve`; Debian's Chromium (headless,
// playwright-core) signs in and opens /overview for the last year, --runs times. The time is from
// navigation to the figures shown and the chart drawn. Prints one JSON
// line: per run the time to the NPS, its chart and histogram shown, and to every figure shown
// (the funnel and follow-up counts too), and the last run's API calls as the browser timed them.
//   VOUCH_BIN=build/release/src/vouch NPS_SEED=build/release/bench/vouch_nps_seed \
//   VOUCH_NODE_MODULES=build/release/web/dashboard/node_modules node bench/dashboard_overview.mjs [--rows N] [--runs N]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { CHROMIUM, playwright, World } from '../tests/e2e/dashboard/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const rows = opt('--rows', 1_000_000);
const days = opt('--days', 365);
const runs = opt('--runs', 7);
const ADMIN = { email: 'bench@shop.test', password: 'bench horse battery staple' };

const world = new World();
const t0 = Date.now();
try {
  world.cli(['migrate']);
  world.key = JSON.parse(world.cli(['shop', 'create', '--name', 'Big Shop', '--url', 'https://big.test'])).api_key;
  world.cli(['user', 'create', '--shop', '1', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'], `${ADMIN.password}\n`);
  const seed = spawnSync(
    process.env.NPS_SEED,
    ['--db', join(world.dir, 'vouch.db'), '--shop', '1', '--rows', String(rows), '--days', String(days), '--segments', '8', '--funnel', '1'],
    { encoding: 'utf8' },
  );
  if (seed.status !== 0) throw new Error(`nps_seed: ${seed.stderr}`);
  const seedSeconds = (Date.now() - t0) / 1000;
  await world.startSink();
  await world.startServer();

  const browser = await playwright().chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  await page.goto(`${world.base}/signin`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('main[data-ready]');

  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const url = `${world.base}/overview?from=${from}&to=${to}`;
  const times = []; // to every figure shown (the funnel and follow-ups too)
  const npsTimes = []; // to the NPS, its chart and the histogram shown
  let n = 0;
  for (let i = 0; i < runs; ++i) {
    const start = Date.now();
    await page.goto(url);
    await page.waitForSelector('main[data-nps=shown] .chart canvas');
    npsTimes.push(Date.now() - start);
    await page.waitForSelector('main[data-figures=shown]');
    times.push(Date.now() - start);
    n = Number((await page.locator('[data-figure=answers]').innerText()).replace(/,/g, ''));
  }
  // Where the last run's time went: each API call's duration as the browser saw it.
  const api = await page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/'))
        .map((e) => [new URL(e.name).pathname, Math.round(e.duration)]),
    ),
  );
  await browser.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify({
      bench: 'dashboard_overview',
      rows,
      days,
      answers_shown: n,
      seed_seconds: seedSeconds,
      nps_shown_ms: npsTimes,
      all_shown_ms: times,
      nps_shown_median_ms: median(npsTimes),
      all_shown_median_ms: median(times),
      api_ms: api,
    }),
  );
} finally {
  await world.stop();
}
