// Variable expansion as BuildKit's shell lexer does it for FROM, --platform and --from values:
// $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word}. The escape character
// protects a `$`. Hand-written: dockerfile-ast resolves variables per line, but knows nothing of
// --build-arg overrides or of the automatic platform ARGs.

export interface Expansion {
  value: string;
  /** Names referenced but not declared (BuildKit warns about these in FROM). */
  undeclared: string[];
}

/** `vars`: declared names; undefined value = declared without a value (unset). */
export function expandVariables(text: string, vars: ReadonlyMap<string, string | undefined>, escape = '\\'): Expansion {
  const undeclared = new Set<string>();
  const value = expandWord(text, vars, escape, undeclared);
  return { value, undeclared: [...undeclared] };
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function lookup(name: string, vars: ReadonlyMap<string, string | undefined>, undeclared: Set<string>): string | undefined {
  if (!vars.has(name)) undeclared.add(name);
  return vars.get(name);
}

function expandWord(text: string, vars: ReadonlyMap<string, string | undefined>, escape: string, undeclared: Set<string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) {
        out += text.slice(i); // unterminated: keep as written
        break;
      }
      out += expandBraced(text.slice(i + 2, close), vars, escape, undeclared);
      i = close + 1;
      continue;
    }
    let j = i + 1;
    if (j < text.length && NAME_START.test(text[j])) {
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      out += lookup(text.slice(i + 1, j), vars, undeclared) ?? '';
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Index of the `}` closing the `{` at `open`, honouring nested `${...}`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}' && --depth === 0) return k;
  }
  return -1;
}

function expandBraced(inner: string, vars: ReadonlyMap<string, string | undefined>, escape: string, undeclared: Set<string>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
  if (!m) return '${' + inner + '}';
  const [, name, op, word = ''] = m;
  const value = lookup(name, vars, undeclared);
  if (!op) return value ?? '';
  const isSet = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op.replace(':', '')) {
    case '-':
      return isSet ? (value as string) : expandWord(word, vars, escape, undeclared);
    case '+':
      return isSet ? expandWord(word, vars, escape, undeclared) : '';
    default: // `?`: BuildKit fails the build when unset; we keep the (empty) value
      return value ?? '';
  }
}
