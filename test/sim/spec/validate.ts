// ajv-based checks of requests (path/query parameters, JSON body) and of the sim's own responses
// against the operation's spec. Validators are compiled lazily and cached per operation.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { SimProblem } from '../types.js';
import type { Json } from './load.js';
import type { SpecOperation, SpecParameter } from './routes.js';
import { prepareSchema, READ_ONLY_KEYWORD, type SchemaMode } from './schema-prep.js';

// ajv-formats ships CJS with a default export; under NodeNext ESM the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

const PARAM_KEYWORDS = ['type', 'format', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'items'];
// Swagger/AutoRest formats that are annotations rather than string grammars.
const LENIENT_FORMATS = ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'arm-id', 'duration', 'decimal', 'unixtime', 'password'];

export function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
  addFormats(ajv);
  for (const f of LENIENT_FORMATS) ajv.addFormat(f, true);
  ajv.addKeyword({
    keyword: READ_ONLY_KEYWORD,
    schemaType: 'boolean',
    errors: true,
    validate: function readOnly(this: unknown, schema: boolean): boolean {
      (readOnly as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: 'readOnly', message: 'is a read-only property and must not be sent in a request', params: {} },
      ];
      return !schema;
    },
  });
  return ajv;
}

export class SpecValidator {
  private readonly ajv = newAjv();
  private readonly compiled = new WeakMap<object, Map<string, ValidateFunction>>();

  /**
   * `values` holds parameters by their spec name, as the spec examples do: path and query values
   * (strings from a URL are coerced for integer/number/boolean parameters) and the body under the
   * body parameter's name.
   */
  validateRequest(op: SpecOperation, values: Record<string, unknown>): SimProblem[] {
    const problems: SimProblem[] = [];
    for (const p of op.parameters) {
      if (p.in === 'header' || p.in === 'formData' || p.name === 'api-version') continue;
      const value = values[p.name];
      if (value === undefined) {
        if (p.required) problems.push({ target: target(p), message: `required ${p.in} parameter '${p.name}' is missing`, keyword: 'required' });
        continue;
      }
      const schema = p.in === 'body' ? prepareSchema(p.schema ?? {}, 'request') : paramSchema(p);
      const v = this.compile(p, p.in === 'body' ? 'body' : 'param', schema);
      const coerced = p.in === 'body' ? value : coerce(p, value);
      if (!v(coerced)) problems.push(...toProblems(v.errors, p.in === 'body' ? '' : target(p)));
    }
    return problems;
  }

  /** Checks status code and body of a response the sim is about to send. */
  validateResponse(op: SpecOperation, status: number, body: unknown): SimProblem[] {
    const declared = op.responses[String(status)] ?? op.responses.default;
    if (!declared) return [{ target: 'status', message: `status ${status} is not declared by ${op.operationId}` }];
    if (!declared.schema) {
      return body === undefined ? [] : [{ target: 'body', message: `${op.operationId} ${status} declares no body but one was sent` }];
    }
    const v = this.compile(declared, 'response', prepareSchema(declared.schema, 'response'));
    return v(body) ? [] : toProblems(v.errors, '');
  }

  private compile(owner: object, mode: SchemaMode | 'param' | 'body', schema: Json): ValidateFunction {
    let byMode = this.compiled.get(owner);
    if (!byMode) this.compiled.set(owner, (byMode = new Map()));
    let v = byMode.get(mode);
    if (!v) byMode.set(mode, (v = this.ajv.compile(schema)));
    return v;
  }
}

function paramSchema(p: SpecParameter): Json {
  return Object.fromEntries(Object.entries(p).filter(([k]) => PARAM_KEYWORDS.includes(k)));
}

function coerce(p: SpecParameter, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if ((p.type === 'integer' || p.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (p.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

const target = (p: SpecParameter): string => `${p.in}.${p.name}`;

function toProblems(errors: ErrorObject[] | null | undefined, prefix: string): SimProblem[] {
  return (errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
      : e.keyword === 'enum' ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})` : '';
    return { target: prefix || e.instancePath || '/', message: `${e.message ?? 'is invalid'}${extra}`, keyword: e.keyword };
  });
}
