// Checks docs/api/openapi.json: a valid OpenAPI 3.1 document by the specification's own JSON
// Schema (@seriousme/openapi-schema-validator), every $ref resolving, every schema in it compiling
// as JSON Schema 2020-12 (ajv, strict), unique operationIds, and each path's {parameters}
// declared as path parameters of its operations (and no others).
//   node document.mjs DOCUMENT NODE_MODULES
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [docFile, nodeModules] = process.argv.slice(2);
if (!docFile || !nodeModules) {
  console.error("usage: node document.mjs DOCUMENT NODE_MODULES");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(nodeModules), "noop.js"));
const { Validator } = await import(require.resolve("@seriousme/openapi-schema-validator"));
const { compileSchemas } = await import("./schemas.mjs");

const doc = JSON.parse(readFileSync(docFile, "utf8"));
const problems = [];

const validator = new Validator();
const result = await validator.validate(structuredClone(doc));
if (!result.valid) {
  problems.push(`not a valid OpenAPI document: ${JSON.stringify(result.errors, null, 1)}`);
} else if (validator.version !== "3.1") {
  problems.push(`OpenAPI version ${validator.version}, not 3.1`);
}
try {
  const refs = validator.resolveRefs({ specification: structuredClone(doc) });
  if (!refs) problems.push("$refs do not resolve");
} catch (e) {
  problems.push(`$refs do not resolve: ${e.message}`);
}

// Every schema compiles, with every $ref resolved (ajv refuses unknown keywords and formats).
const { errors: schemaErrors, count } = compileSchemas(doc, require);
problems.push(...schemaErrors);

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const seenIds = new Map();
let operations = 0;
const deref = (p) => (p && p.$ref ? p.$ref.split("/").slice(1).reduce((o, k) => o[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc) : p);
for (const [route, item] of Object.entries(doc.paths)) {
  const templated = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
  for (const method of methods) {
    const op = item[method];
    if (!op) continue;
    operations++;
    const where = `${method.toUpperCase()} ${route}`;
    if (!op.operationId) problems.push(`${where}: no operationId`);
    else if (seenIds.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} also at ${seenIds.get(op.operationId)}`);
    else seenIds.set(op.operationId, where);
    const declared = [...(item.parameters || []), ...(op.parameters || [])].map(deref).filter((p) => p.in === "path").map((p) => p.name).sort();
    if (JSON.stringify(declared) !== JSON.stringify(templated)) {
      problems.push(`${where}: path parameters ${JSON.stringify(declared)} but the path has ${JSON.stringify(templated)}`);
    }
    if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
  }
}

for (const p of problems) console.error(`openapi: ${p}`);
console.log(`openapi document: ${operations} operations, ${count} schemas compiled; ${problems.length === 0 ? "valid" : `${problems.length} problems`}`);
process.exit(problems.length === 0 ? 0 : 1);
