// Turns a dereferenced Swagger 2.0 schema into the JSON Schema ajv checks. Builds new trees (the
// dereferenced specs share objects between operations and modes), memoised per call and cycle-safe.
//
// Applied in both modes (they mirror how Azure's tooling reads Swagger, see the specs' verify.mjs):
//   R1 optional properties may be null; R2 a bare {"type":"object"} accepts any JSON.
// Response mode only:
//   R3 x-ms-enum.modelAsString:true makes an enum extensible (a client must accept new values; a
//      client *sending* an undocumented value is still a violation, so requests keep the enum).
// Beyond verify.mjs:
//   allOf is flattened and every object that declares properties (and no additionalProperties or
//   discriminator) is closed: Microsoft.Authorization rejects unknown members ("Could not find member
//   'x' on object of type 'Y'"), and the sim's own responses must not invent properties either.
//   Request mode turns readOnly properties into a failing keyword: ARM ignores or rejects them, and a
//   client that sends them has echoed a GET back into a PUT.
import type { Json } from './load.js';

export type SchemaMode = 'request' | 'response';
export const READ_ONLY_KEYWORD = 'simReadOnly';

interface Ctx {
  mode: SchemaMode;
  memo: Map<object, Json>;
  /** Nodes being prepared right now: meeting one again means a recursive type. */
  stack: Set<object>;
  /** Recursive nodes, emitted once under `definitions` and referenced by $ref. */
  defs: Map<object, string>;
}

export function prepareSchema(schema: Json, mode: SchemaMode): Json {
  const ctx: Ctx = { mode, memo: new Map(), stack: new Set(), defs: new Map() };
  const root = prep(schema, ctx);
  if (ctx.defs.size === 0) return root;
  const definitions: Json = {};
  for (const [node, name] of ctx.defs) definitions[name] = ctx.memo.get(node);
  return { ...root, definitions: { ...(root.definitions ?? {}), ...definitions } };
}

function prep(n: Json, ctx: Ctx): Json {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return n;
  if (ctx.stack.has(n)) {
    let name = ctx.defs.get(n);
    if (!name) ctx.defs.set(n, (name = `recursive${ctx.defs.size}`));
    return { $ref: `#/definitions/${name}` };
  }
  const hit = ctx.memo.get(n);
  if (hit) return hit;
  const out: Json = {};
  ctx.memo.set(n, out);
  ctx.stack.add(n);
  try {
    fill(n, out, ctx);
  } finally {
    ctx.stack.delete(n);
  }
  return out;
}

function fill(n: Json, out: Json, ctx: Ctx): void {
  const { mode } = ctx;

  for (const [k, v] of Object.entries(n)) {
    if (k === 'properties' || k === 'allOf' || k === 'items' || k === 'additionalProperties' || k === 'discriminator') continue;
    if (k === 'readOnly' || k.startsWith('x-ms-') || k === 'x-nullable' || k === 'example') continue;
    out[k] = v;
  }
  if (n.type === 'object' && !n.properties && !n.additionalProperties && !n.allOf) delete out.type; // R2
  if (mode === 'response' && Array.isArray(n.enum) && n['x-ms-enum']?.modelAsString === true) delete out.enum; // R3
  if (n.items) out.items = prep(n.items, ctx);
  if (n.additionalProperties && typeof n.additionalProperties === 'object') {
    out.additionalProperties = prep(n.additionalProperties, ctx);
  } else if (n.additionalProperties !== undefined) out.additionalProperties = n.additionalProperties;

  const properties: Json = {};
  const required = new Set<string>(Array.isArray(n.required) ? n.required : []);
  let openByMember = false;
  for (const member of Array.isArray(n.allOf) ? n.allOf : []) {
    const m = prep(member, ctx);
    Object.assign(properties, m.properties ?? {});
    for (const r of m.required ?? []) required.add(r);
    if (m.additionalProperties !== undefined && m.additionalProperties !== false) openByMember = true;
    if (m.type && !out.type) out.type = m.type;
  }
  for (const [name, p] of Object.entries<Json>(n.properties ?? {})) {
    if (mode === 'request' && p?.readOnly === true) { properties[name] = { [READ_ONLY_KEYWORD]: true }; continue; }
    properties[name] = required.has(name) ? prep(p, ctx) : nullable(prep(p, ctx), p);
  }
  if (Object.keys(properties).length) out.properties = properties;
  if (required.size) out.required = [...required];
  const declaresProperties = Object.keys(properties).length > 0;
  if (declaresProperties && out.additionalProperties === undefined && !openByMember && !n.discriminator) {
    out.additionalProperties = false;
  }
}

/** R1: an optional property may be null (ARM answers null for absent values and accepts null to clear one). */
function nullable(prepared: Json, original: Json): Json {
  if (!prepared || typeof prepared.type !== 'string' || original?.['x-nullable'] === false) return prepared;
  const wrapped: Json = { ...prepared, type: [prepared.type, 'null'] };
  if (Array.isArray(prepared.enum)) wrapped.enum = [...prepared.enum, null];
  return wrapped;
}
