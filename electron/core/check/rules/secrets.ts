// secrets-in-layers: private keys, .env files and credential files in any layer of the target
// image, including ones a later layer removed (still in the image), and ones a COPY --from took
// from a builder stage. Matched by name; names that are also used for harmless files (*.pem
// certificates, an .npmrc without a token) are confirmed by a sniff of their first bytes.
// Messages carry path, size and line, never the content.
import { formatBytes } from '../../../../shared/format.ts';
import { baseName } from '../../../../shared/paths.ts';
import type { FileMeta } from '../../../../shared/model.ts';
import type { CheckContext, Finding } from '../context.ts';

type Sniff = RegExp | null;
interface SecretKind {
  what: string;
  sniff: Sniff;
}

const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;

export function classifySecret(path: string): SecretKind | null {
  const base = baseName(path);
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base)) return { what: 'an SSH private key', sniff: null };
  if (/\.(pem|key|p8)$/i.test(base)) return { what: 'a private key', sniff: PRIVATE_KEY };
  if (/\.(p12|pfx|jks|keystore)$/i.test(base)) return { what: 'a key store', sniff: null };
  if (base === '.env' || (/^\.env\.[^/]+$/.test(base) && !/\.(example|sample|template|dist)$/i.test(base)))
    return { what: 'a .env file', sniff: null };
  if (base === '.git-credentials') return { what: 'git credentials', sniff: null };
  if (base === '.npmrc') return { what: 'an .npmrc with a token', sniff: /(_authToken|_auth|_password)\s*=/ };
  if (base === '.pypirc') return { what: 'a .pypirc with a password', sniff: /^\s*password\s*[:=]/m };
  if (base === '.netrc' || base === '_netrc') return { what: 'a .netrc with a password', sniff: /\bpassword\s+\S/ };
  if (/\/\.docker\/config\.json$/.test(path)) return { what: 'docker registry credentials', sniff: /"auth"\s*:\s*"[^"]/ };
  if (/\/\.aws\/credentials$/.test(path)) return { what: 'AWS credentials', sniff: /aws_secret_access_key/i };
  return null;
}

interface Candidate {
  layer: number;
  meta: FileMeta;
  kind: SecretKind;
}

export async function secretsInLayers(ctx: CheckContext, notes: string[]): Promise<Finding[]> {
  const { final } = ctx;
  const candidates: Candidate[] = [];
  final.layers.forEach((layer, i) => {
    for (const meta of layer.entries) {
      if (meta.type !== 'file' || ctx.ignored(meta.path)) continue;
      const kind = classifySecret(meta.path);
      if (kind) candidates.push({ layer: i, meta, kind });
    }
  });
  const toSniff = candidates.filter((c) => c.kind.sniff && c.meta.hash);
  let heads: Map<string, Buffer> | null = null;
  if (toSniff.length > 0 && ctx.readHeads) {
    try {
      heads = await ctx.readHeads(
        final.imageId,
        toSniff.map((c) => ({ path: c.meta.path, hash: c.meta.hash!, size: c.meta.size })),
      );
    } catch (err) {
      notes.push(
        `secrets-in-layers could not read file contents to confirm ${toSniff.length} candidate(s) (${(err as Error).message}); they are reported by name.`,
      );
    }
  }
  const findings: Finding[] = [];
  for (const c of candidates) {
    let confirmed = 'by name';
    if (c.kind.sniff) {
      const head = c.meta.hash ? heads?.get(c.meta.hash) : undefined;
      if (head) {
        if (!c.kind.sniff.test(head.toString('latin1'))) continue;
        confirmed = 'by name and content';
      } else if (heads) {
        continue; // asked for and not found (too large, or not a tar layer): no claim either way
      } else confirmed = 'by name only, content not checked';
    }
    const origin = ctx.origin(ctx.target, c.layer);
    const removedAt = ctx.final.changes.findIndex(
      (ch, j) => j > c.layer && (ch.removed.includes(c.meta.path) || ch.modified.includes(c.meta.path)),
    );
    const still =
      removedAt >= 0
        ? `, removed by ${ctx.describe(ctx.origin(ctx.target, removedAt), false)}, is still in layer ${c.layer} of the image`
        : ' is in the image';
    const from = origin.instruction?.flags.find((f) => f.name === 'from')?.value;
    const via =
      from && origin.instruction?.keyword !== 'FROM'
        ? ` (COPY --from=${from} takes it from ${/^\d+$/.test(from) ? `stage ${from}` : from})`
        : '';
    findings.push({
      stage: ctx.label(ctx.target),
      stageIndex: ctx.target,
      line: origin.line,
      layer: c.layer,
      bytes: c.meta.size,
      paths: [c.meta.path],
      message: `${c.meta.path} (${c.kind.what}, ${formatBytes(c.meta.size)}, matched ${confirmed}) written by ${ctx.describe(origin, false)}${via}${still}.`,
    });
  }
  return findings;
}
