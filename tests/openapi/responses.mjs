// Validates recorded HTTP responses against docs/api/openapi.json: each response's operation is
// found by method and path (literal segments before {parameters}; HEAD as GET), its status must
// be documented for that operation, its media type must be one the response lists, and a JSON
// body must validate against the listed schema (JSON Schema 2020-12, ajv). A path no operation
// takes must be the server's own 404 or 405.
//
//   node responses.mjs DOCUMENT NODE_MODULES RECORDS [-- COMMAND ARGS...]
// With a command (the C++ API tests), RECORDS is emptied, the command run with
// VOUCH_RECORD_RESPONSES=RECORDS (tests/support/http_client.cc appends one JSON line per
// response), and its exit status counts too.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { makeAjv, pendingSeen, pointer } from "./schemas.mjs";

const args = process.argv.slice(2);
const dash = args.indexOf("--");
const [docFile, nodeModules, records] = dash < 0 ? args : args.slice(0, dash);
const command = dash < 0 ? [] : args.slice(dash + 1);
if (!docFile || !nodeModules || !records) {
  console.error("usage: node responses.mjs DOCUMENT NODE_MODULES RECORDS [-- COMMAND ARGS...]");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(nodeModules), "noop.js"));
const doc = JSON.parse(readFileSync(docFile, "utf8"));
const schemaAt = makeAjv(doc, require);

let commandFailed = false;
if (command.length > 0) {
  rmSync(records, { force: true });
  const run = spawnSync(command[0], command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, VOUCH_RECORD_RESPONSES: path.resolve(records) },
  });
  if (run.status !== 0) {
    console.error(`openapi: ${command.join(" ")} exited with ${run.status ?? run.signal}`);
    commandFailed = true;
  }
}
if (!existsSync(records)) {
  console.error(`openapi: no responses recorded in ${records}`);
  process.exit(1);
}

// Operations by segment count; a template's segment is a literal or a parameter.
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const operations = [];
for (const [route, item] of Object.entries(doc.paths)) {
  const segments = route.split("/").filter((s) => s !== "");
  for (const method of methods) {
    if (!item[method]) continue;
    const rest = item[method]["x-vouch-rest"];
    operations.push({ route, method, op: item[method], segments, rest, seen: new Set() });
  }
}
const isParam = (s) => s.startsWith("{") && s.endsWith("}");
// The router decodes each segment before comparing it ("%68ealthz" is "healthz"); a malformed
// escape stays as sent.
const decoded = (s) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

function findOperation(method, rawPath) {
  const segments = rawPath.split("/").filter((s) => s !== "").map(decoded);
  let best = null;
  let bestScore = -1;
  for (const o of operations) {
    if (o.method !== method) continue;
    const last = o.segments.length - 1;
    const restLast = o.rest && o.segments[last] === `{${o.rest}}`;
    if (restLast ? segments.length < o.segments.length : segments.length !== o.segments.length) continue;
    let literal = 0;
    let match = true;
    for (let i = 0; i < o.segments.length && match; i++) {
      if (isParam(o.segments[i])) continue;
      if (o.segments[i] === segments[i]) literal++;
      else match = false;
    }
    if (match && literal > bestScore) {
      best = o;
      bestScore = literal;
    }
  }
  return best;
}

const deref = (node) => {
  while (node && node.$ref) {
    node = node.$ref.split("/").slice(1).reduce((o, k) => o[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node;
};
const pointerOf = (node, fallback) => {
  let ptr = fallback;
  while (node && node.$ref) {
    ptr = node.$ref;
    node = deref({ $ref: node.$ref });
  }
  return ptr;
};

const failures = new Map(); // message → {count, example}
const fail = (where, message, record) => {
  const key = `${where}: ${message}`;
  const f = failures.get(key) ?? { count: 0, record };
  f.count++;
  failures.set(key, f);
};

const lines = readFileSync(records, "utf8").split("\n").filter((l) => l.trim() !== "");
let checked = 0;
let bodies = 0;
let unrouted = 0;
for (const line of lines) {
  const r = JSON.parse(line);
  const method = r.method.toLowerCase() === "head" ? "get" : r.method.toLowerCase();
  const rawPath = r.path.split("?")[0];
  const mediaType = (r.content_type || "").split(";")[0].trim().toLowerCase();
  const o = findOperation(method, rawPath);
  checked++;
  if (!o) {
    // The server's own answers for a path no route takes: 404, 405 (a route under another method),
    // 413 (the body limit is decided before routing) and 503 (the handler pool is full).
    unrouted++;
    if (![404, 405, 413, 503].includes(r.status)) {
      fail(`${r.method} ${rawPath}`, `no documented operation, and status ${r.status} is not the server's 404, 405, 413 or 503`, r);
    } else if (mediaType === "application/problem+json" && r.body !== undefined) {
      const validate = schemaAt(pointer("components", "schemas", "Problem"));
      if (!validate(JSON.parse(r.body))) fail(`${r.method} (no route) ${r.status}`, `problem body: ${ajvErrors(validate)}`, r);
    }
    continue;
  }
  const where = `${o.method.toUpperCase()} ${o.route} ${r.status}`;
  o.seen.add(String(r.status));
  let response = o.op.responses[String(r.status)] ?? o.op.responses[`${String(r.status)[0]}XX`] ?? o.op.responses.default;
  if (!response) {
    fail(where, `status ${r.status} is not documented`, r);
    continue;
  }
  const basePtr = pointerOf(response, pointer("paths", o.route, o.method, "responses", String(r.status)));
  response = deref(response);
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    if (r.method !== "HEAD" && r.body) fail(where, `documented without a body, but has one (${mediaType})`, r);
    continue;
  }
  if (r.method === "HEAD" && !mediaType) continue;
  const type =
    Object.keys(content).find((t) => t.toLowerCase() === mediaType) ??
    Object.keys(content).find((t) => t.endsWith("/*") && mediaType.startsWith(t.slice(0, -1))) ??
    (content["*/*"] ? "*/*" : undefined);
  if (type === undefined) {
    fail(where, `media type ${mediaType || "(none)"} is not documented (${Object.keys(content).join(", ")})`, r);
    continue;
  }
  if (r.body === undefined || r.body === "" || !content[type].schema) continue;
  if (!/json$/.test(mediaType)) continue;
  let body;
  try {
    body = JSON.parse(r.body);
  } catch {
    fail(where, "body is not JSON", r);
    continue;
  }
  const validate = schemaAt(pointerOf(content[type].schema, `${basePtr}/content/${type.replace(/~/g, "~0").replace(/\//g, "~1")}/schema`));
  bodies++;
  pendingSeen.length = 0;
  if (!validate(body)) fail(where, ajvErrors(validate), r);
  for (const { branch, path: member } of pendingSeen) {
    fail(where, `${member} is sent, but marked "x-vouch-pending": "${branch}": the branch is merged, delete its marks`, r);
  }
}

function ajvErrors(validate) {
  return (validate.errors ?? [])
    .slice(0, 4)
    .map((e) => `${e.instancePath || "(body)"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`)
    .join("; ");
}

const documentedOps = operations.filter((o) => !o.op["x-vouch-pending"]);
const untouched = documentedOps.filter((o) => o.seen.size === 0).map((o) => `${o.method.toUpperCase()} ${o.route}`);
for (const [message, { count, record }] of failures) {
  console.error(`openapi: ${message} (${count}×; e.g. ${record.test}: ${record.method} ${record.path} ${(record.body ?? "").slice(0, 300)})`);
}
console.log(
  `openapi responses: ${checked} checked (${bodies} JSON bodies validated, ${unrouted} unrouted), ` +
    `${documentedOps.length - untouched.length} of ${documentedOps.length} operations exercised; ${failures.size} distinct failures`,
);
if (untouched.length > 0) console.log(`openapi: operations no API test reached: ${untouched.join(", ")}`);
if (lines.length < 100) {
  console.error(`openapi: only ${lines.length} responses recorded: the recorder (VOUCH_RECORD_RESPONSES) did not run?`);
  process.exit(1);
}
process.exit(failures.size === 0 && !commandFailed ? 0 : 1);
