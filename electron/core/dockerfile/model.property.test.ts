// Generated multi-stage Dockerfiles: they parse, every stage edge points backwards, and the
// BuildKit plan of the last stage holds every stage reachable along the edges.
// fast-check prints the seed and the shrunk counterexample when a property fails.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { parseDockerfile } from './parse.ts';
import { planTarget } from './plan.ts';

interface Ref {
  /** Which earlier stage (taken modulo the stage index), or an external image when null. */
  pick: number | null;
  byIndex: boolean;
  upper: boolean;
}
interface StageSpec {
  name: string | null;
  base: Ref | 'scratch';
  copies: Ref[];
  mount: Ref | null;
}

const ref = fc.record({ pick: fc.option(fc.nat(50), { nil: null, freq: 4 }), byIndex: fc.boolean(), upper: fc.boolean() });
const stageSpec = fc.record({
  name: fc.option(fc.stringMatching(/^[a-z][a-z0-9_.-]{0,6}$/), { nil: null, freq: 4 }),
  base: fc.oneof(ref, fc.constant('scratch' as const)),
  copies: fc.array(ref, { maxLength: 3 }),
  mount: fc.option(ref, { nil: null }),
});
const dockerfiles = fc
  .array(stageSpec, { minLength: 1, maxLength: 8 })
  // Names are unique case-insensitively and never "scratch" (that is the empty image).
  .map((specs) => {
    const seen = new Set<string>(['scratch']);
    return specs.map((s) => {
      if (s.name === null || seen.has(s.name.toLowerCase())) return { ...s, name: null };
      seen.add(s.name.toLowerCase());
      return s;
    });
  });

/** The text of a reference from stage `at`, and the stage it must resolve to (or null: image). */
function render(r: Ref, at: number, specs: StageSpec[], forFrom: boolean): { text: string; stage: number | null } {
  if (r.pick === null || at === 0) return { text: `stagescope-test/img${r.pick ?? 0}:1`, stage: null };
  const target = r.pick % at;
  const name = specs[target].name;
  // FROM only takes names; --from takes an index as well.
  if (name === null && forFrom) return { text: 'stagescope-test/base:1', stage: null };
  if (name === null || (r.byIndex && !forFrom)) return { text: String(target), stage: target };
  return { text: r.upper ? name.toUpperCase() : name, stage: target };
}

function toDockerfile(specs: StageSpec[]): { text: string; expected: Set<string> } {
  const lines: string[] = ['ARG TAG=1'];
  const expected = new Set<string>();
  specs.forEach((spec, at) => {
    let base = 'scratch';
    if (spec.base !== 'scratch') {
      const r = render(spec.base, at, specs, true);
      base = r.text;
      if (r.stage !== null) expected.add(`from:${r.stage}->${at}`);
    }
    lines.push(`FROM ${base}${spec.name ? ` AS ${spec.name}` : ''}`);
    spec.copies.forEach((c, k) => {
      const r = render(c, at, specs, false);
      lines.push(`COPY --chown=0:0 --from=${r.text} /src${k} /dst${k}`);
      if (r.stage !== null) expected.add(`copy:${r.stage}->${at}`);
    });
    if (spec.mount) {
      const r = render(spec.mount, at, specs, false);
      lines.push(`RUN --mount=type=cache,target=/c --mount=type=bind,from=${r.text},target=/m \\`, '    make');
      if (r.stage !== null) expected.add(`mount:${r.stage}->${at}`);
    }
  });
  return { text: lines.join('\n') + '\n', expected };
}

it('generated multi-stage Dockerfiles parse into backward edges and a complete closure', () => {
  fc.assert(
    fc.property(dockerfiles, (specs) => {
      const { text, expected } = toDockerfile(specs);
      const model = parseDockerfile(text, { path: 'Dockerfile' });
      expect(model.stages).toHaveLength(specs.length);

      const stageEdges = model.edges.filter((e) => e.from.kind === 'stage');
      for (const e of stageEdges) expect(e.from.kind === 'stage' && e.from.stage < e.to).toBe(true);
      expect(new Set(stageEdges.map((e) => `${e.kind}:${e.from.kind === 'stage' ? e.from.stage : ''}->${e.to}`))).toEqual(expected);
      for (const s of model.stages) expect(s.dependsOn).toEqual([...new Set(s.dependsOn)].sort((a, b) => a - b));

      const last = model.stages.length - 1;
      const reachable = new Set([last]);
      for (let i = last; i >= 0; i--) {
        if (!reachable.has(i)) continue;
        for (const e of stageEdges) if (e.to === i && e.from.kind === 'stage') reachable.add(e.from.stage);
      }
      const plan = planTarget(model);
      expect(plan.target).toBe(last);
      expect(plan.buildkit).toEqual([...reachable].sort((a, b) => a - b));
      expect(plan.classic).toEqual(model.stages.map((s) => s.index));
    }),
    { numRuns: 300 },
  );
});
