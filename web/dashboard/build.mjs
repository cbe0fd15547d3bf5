// Bundles the dashboard: src/main.ts (with uPlot and the CSS) into one script and one style
// sheet named by their content hash, index.html pointing at them, and paths.txt (the pages'
// paths), all in --out (emptied first, so no stale bundle is embedded). The names carry a hex content hash, so the server
// marks them immutable (api/assets.h, HasContentHash); index.html itself is never cached.
//   node build.mjs --out DIR [--node-modules DIR]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const out = resolve(opt('--out', join(here, 'dist')));
const nodeModules = resolve(opt('--node-modules', join(here, 'node_modules')));
const require = createRequire(join(nodeModules, 'noop.js'));
const esbuild = require('esbuild');

// The shortest prefix of the SHA-256 (at least 12 hex digits) holding a digit and a letter.
function hashOf(bytes) {
  const hex = createHash('sha256').update(bytes).digest('hex');
  for (let n = 12; n <= 64; ++n) {
    const p = hex.slice(0, n);
    if (/[0-9]/.test(p) && /[a-f]/.test(p)) return p;
  }
  return hex;
}

const result = await esbuild.build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  outdir: out,
  write: false,
  nodePaths: [nodeModules],
  legalComments: 'eof',
  logLevel: 'warning',
});

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const names = {};
for (const file of result.outputFiles) {
  const ext = file.path.endsWith('.css') ? 'css' : 'js';
  const name = `app.${hashOf(file.contents)}.${ext}`;
  writeFileSync(join(out, name), file.contents);
  names[ext] = name;
}
if (!names.js || !names.css) throw new Error('build.mjs: esbuild gave no script or no style sheet');
const html = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('{{script}}', `/static/dashboard/${names.js}`)
  .replace('{{style}}', `/static/dashboard/${names.css}`);
writeFileSync(join(out, 'index.html'), html);
// The client-side paths, one a line, read from each page's registration (`page({ pattern: '/x'`
// in src/*.ts): the server answers index.html at exactly these (api/routes_dashboard.cc), so a
// page a later feature adds is registered in one place, its own file.
const paths = new Set(['/', '/signin']);
for (const f of readdirSync(join(here, 'src'))) {
  if (!f.endsWith('.ts')) continue;
  for (const m of readFileSync(join(here, 'src', f), 'utf8').matchAll(/\bpage\(\{\s*pattern:\s*'([^']+)'/g)) {
    if (!/^\/[a-z0-9/{}_-]*$/.test(m[1])) throw new Error(`build.mjs: ${f}: page pattern ${m[1]} is not a plain path`);
    paths.add(m[1]);
  }
}
writeFileSync(join(out, 'paths.txt'), [...paths].sort().join('\n') + '\n');
console.log(`dashboard: ${names.js} ${names.css} in ${out}`);
