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

/**
 * One word of a COPY / ADD / WORKDIR / ENV argument as BuildKit's shell lexer processes it
 * (ProcessWord): `'...'` is literal, `"..."` expands variables, the escape character makes the
 * next character literal (inside double quotes only before `"`, `$` and itself), and the
 * quotes are removed. `undeclared` collects names used but not declared.
 */
export function processWord(
  word: string,
  vars: ReadonlyMap<string, string | undefined>,
  escape = '\\',
  undeclared = new Set<string>(),
): string {
  let out = '';
  let i = 0;
  // Unquoted runs and double-quoted runs go through expandWord; the rest is literal.
  let pending = '';
  const flush = () => {
    out += expandWord(pending, vars, escape, undeclared);
    pending = '';
  };
  while (i < word.length) {
    const c = word[i];
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) {
        pending += word.slice(i); // unterminated: kept as written
        break;
      }
      flush();
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let inner = '';
      while (j < word.length && word[j] !== '"') {
        if (word[j] === escape && j + 1 < word.length && (word[j + 1] === '"' || word[j + 1] === escape)) {
          inner += word[j + 1] === escape ? escape + escape : word[j + 1];
          j += 2;
          continue;
        }
        inner += word[j++];
      }
      // The closing quote ends a variable name: `"$A"b` is $A then b.
      flush();
      out += expandWord(inner, vars, escape, undeclared);
      i = j + 1;
    } else if (c === escape && i + 1 < word.length) {
      // Keep `\$` for expandWord (a literal dollar); any other escaped character is itself.
      if (word[i + 1] === '$') pending += c + '$';
      else {
        flush();
        out += word[i + 1];
      }
      i += 2;
    } else {
      pending += c;
      i++;
    }
  }
  flush();
  return out;
}
