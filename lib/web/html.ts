/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already SafeHtml,
 * so user text (justifications, names, ticket refs) can only ever land as text. Attribute values must be
 * written quoted in templates (`href="${url}"`); escaping quotes is what keeps them inside the attribute.
 * Escaping does not vet URLs: an href must come from a checked source (see lib/notify/portal-link.ts).
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup that is safe to emit as is; only `html`, `raw` and `join` make one. */
export class SafeHtml {
  constructor(readonly __html: string) {}
}

/**
 * What a template may interpolate. null, undefined and false render as nothing so that
 * `${cond && html`…`}` works; arrays render their items in order.
 */
export type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

function toHtml(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.__html;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(toHtml).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += toHtml(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks trusted markup (our own constants, never user text) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins items with a separator; both are escaped unless already safe. */
export function join(items: readonly Interpolation[], separator: Interpolation): SafeHtml {
  return new SafeHtml(items.map(toHtml).join(toHtml(separator)));
}

export function render(h: SafeHtml): string {
  return h.__html;
}
