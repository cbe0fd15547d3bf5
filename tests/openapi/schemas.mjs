// The schemas of an OpenAPI 3.1 document as JSON Schema 2020-12 validators (ajv, strict, with the
// formats of ajv-formats). The document is added whole under the id "openapi.json", so a schema is
// compiled from its JSON pointer and its "#/components/..." references resolve in the document.
import path from "node:path";

const escape = (key) => key.replace(/~/g, "~0").replace(/\//g, "~1");
// The marked members the last validations met: {branch, path}. Cleared by the caller.
export const pendingSeen = [];
export const pointer = (...keys) => "#/" + keys.map((k) => escape(String(k))).join("/");

export function makeAjv(doc, require) {
  const Ajv2020 = require("ajv/dist/2020").default;
  const addFormats = require("ajv-formats").default ?? require("ajv-formats");
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, validateSchema: false, strictRequired: false });
  addFormats(ajv);
  // The document's own members are no keywords of its root "schema": declared so that strict mode
  // accepts them; the schemas inside are reached only through JSON pointers.
  for (const keyword of ["openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs"]) {
    ajv.addKeyword({ keyword });
  }
  // A member documented ahead of the branch that adds it (see tests/api/openapi_test.cc): valid,
  // but a body that has it is noted in `pendingSeen` (the branch is merged: its marks must go).
  ajv.addKeyword({
    keyword: "x-vouch-pending",
    schemaType: "string",
    validate: (branch, _data, _parent, where) => {
      pendingSeen.push({ branch, path: where?.instancePath ?? "" });
      return true;
    },
  });
  ajv.addSchema(doc, "openapi.json");
  const cache = new Map();
  return (ptr) => {
    if (!cache.has(ptr)) cache.set(ptr, ajv.compile({ $ref: "openapi.json" + ptr }));
    return cache.get(ptr);
  };
}

// Every schema location of the document: components, parameters, bodies, responses, headers.
export function schemaPointers(doc) {
  const out = [];
  for (const name of Object.keys(doc.components?.schemas ?? {})) out.push(pointer("components", "schemas", name));
  const media = (base, content) => {
    for (const [type, m] of Object.entries(content ?? {})) if (m.schema) out.push(pointer(...base, "content", type, "schema"));
  };
  const response = (base, r) => {
    media(base, r.content);
    for (const [h, v] of Object.entries(r.headers ?? {})) if (v.schema) out.push(pointer(...base, "headers", h, "schema"));
  };
  for (const [name, r] of Object.entries(doc.components?.responses ?? {})) response(["components", "responses", name], r);
  for (const [name, p] of Object.entries(doc.components?.parameters ?? {})) if (p.schema) out.push(pointer("components", "parameters", name, "schema"));
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== "object" || !op.responses) continue;
      (op.parameters ?? []).forEach((p, i) => p.schema && out.push(pointer("paths", route, method, "parameters", i, "schema")));
      if (op.requestBody?.content) media(["paths", route, method, "requestBody"], op.requestBody.content);
      for (const [status, r] of Object.entries(op.responses)) if (!r.$ref) response(["paths", route, method, "responses", status], r);
    }
  }
  return out;
}

export function compileSchemas(doc, require) {
  const compile = makeAjv(doc, require);
  const errors = [];
  const pointers = schemaPointers(doc);
  for (const ptr of pointers) {
    try {
      compile(ptr);
    } catch (e) {
      errors.push(`schema ${ptr}: ${e.message}`);
    }
  }
  return { errors, count: pointers.length };
}
