/**
 * A small parser for ARM template expressions ("[func(arg, 'literal').prop[0]]"), enough to
 * find parameters()/variables() uses and resourceId()-style targets in azuredeploy.json.
 */
export type Expr =
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'prop'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr };

/** True for "[...]" strings; "[[" escapes a literal that starts with "[". */
export function isExpression(s: string): boolean {
  return s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

export function parseExpression(source: string): Expr {
  const text = isExpression(source) ? source.slice(1, -1) : source;
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`ARM expression: ${what} at ${pos} in ${source}`);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string): void => {
    skip();
    if (text[pos] !== ch) fail(`expected "${ch}"`);
    pos++;
  };
  const ident = (): string => {
    skip();
    const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(pos));
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };
  const primary = (): Expr => {
    skip();
    const ch = text[pos];
    if (ch === "'") {
      let value = '';
      pos++;
      for (;;) {
        if (pos >= text.length) fail('unterminated string');
        if (text[pos] === "'") {
          if (text[pos + 1] === "'") {
            value += "'";
            pos += 2;
            continue;
          }
          pos++;
          return { kind: 'str', value };
        }
        value += text[pos++];
      }
    }
    const num = /^-?\d+/.exec(text.slice(pos));
    if (num) {
      pos += num[0].length;
      return { kind: 'num', value: Number(num[0]) };
    }
    const name = ident();
    expect('(');
    const args: Expr[] = [];
    skip();
    if (text[pos] === ')') pos++;
    else {
      for (;;) {
        args.push(expression());
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect(')');
        break;
      }
    }
    return { kind: 'call', name, args };
  };
  const expression = (): Expr => {
    let node = primary();
    for (;;) {
      skip();
      if (text[pos] === '.') {
        pos++;
        node = { kind: 'prop', target: node, name: ident() };
      } else if (text[pos] === '[') {
        pos++;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  };
  const result = expression();
  skip();
  if (pos !== text.length) fail('trailing text');
  return result;
}

/** Canonical text of an expression, for comparing two expressions written alike. */
export function print(e: Expr): string {
  switch (e.kind) {
    case 'str':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'num':
      return String(e.value);
    case 'call':
      return `${e.name.toLowerCase()}(${e.args.map(print).join(', ')})`;
    case 'prop':
      return `${print(e.target)}.${e.name}`;
    case 'index':
      return `${print(e.target)}[${print(e.index)}]`;
  }
}

export function walk(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  if (e.kind === 'call') e.args.forEach((a) => walk(a, visit));
  else if (e.kind === 'prop') walk(e.target, visit);
  else if (e.kind === 'index') {
    walk(e.target, visit);
    walk(e.index, visit);
  }
}

export function calls(e: Expr, name: string): Array<Extract<Expr, { kind: 'call' }>> {
  const found: Array<Extract<Expr, { kind: 'call' }>> = [];
  walk(e, (n) => {
    if (n.kind === 'call' && n.name.toLowerCase() === name.toLowerCase()) found.push(n);
  });
  return found;
}

/** The literal string argument of a call such as parameters('x'), if it has one. */
export function literalArg(e: Expr, index = 0): string | undefined {
  if (e.kind !== 'call') return undefined;
  const arg = e.args[index];
  return arg?.kind === 'str' ? arg.value : undefined;
}

export interface ResourceTarget {
  type: string;
  /** Name segments as printed expressions ('literal' for literals). */
  segments: string[];
}

const TYPE_PATTERN = /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9/]+$/;

/** Reads resourceId / subscriptionResourceId / extensionResourceId / tenantResourceId targets. */
export function resourceTarget(e: Expr): ResourceTarget | undefined {
  if (e.kind !== 'call') return undefined;
  const name = e.name.toLowerCase();
  if (!['resourceid', 'subscriptionresourceid', 'extensionresourceid', 'tenantresourceid'].includes(name)) return undefined;
  const args = name === 'extensionresourceid' ? e.args.slice(1) : e.args;
  const typeAt = args.findIndex((a) => a.kind === 'str' && TYPE_PATTERN.test(a.value));
  if (typeAt < 0) return undefined;
  const type = (args[typeAt] as { value: string }).value;
  return { type, segments: args.slice(typeAt + 1).map(print) };
}

/** Splits a declared resource name ("a/b", or "[format('{0}/x', p)]") into printed segments. */
export function nameSegments(name: string): string[] {
  if (!isExpression(name)) return name.split('/').map((s) => print({ kind: 'str', value: s }));
  const e = parseExpression(name);
  if (e.kind === 'call' && e.name.toLowerCase() === 'format' && e.args[0]?.kind === 'str') {
    const args = e.args.slice(1);
    return e.args[0].value.split('/').map((piece) => {
      const slot = /^\{(\d+)\}$/.exec(piece);
      if (slot) return print(args[Number(slot[1])]!);
      if (!/[{}]/.test(piece)) return print({ kind: 'str', value: piece });
      // A segment such as 'storage-{1}': the format() call it would be on its own.
      const used: Expr[] = [];
      const own = piece.replace(/\{(\d+)\}/g, (_, i: string) => `{${used.push(args[Number(i)]!) - 1}}`);
      return print({ kind: 'call', name: 'format', args: [{ kind: 'str', value: own }, ...used] });
    });
  }
  return [print(e)];
}
