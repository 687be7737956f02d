// A small in-memory ProjectSessionApi for the transports' unit tests. It stands in for the
// engine (electron/core/project/session.ts), which the integration and e2e tests exercise for
// real against Docker; here only the plumbing around it is under test.
import { Readable } from 'node:stream';
import { StageScopeError } from '../../../../shared/errors.ts';
import type { Report } from '../../../../shared/model.ts';
import type { AnalyzeHooks, ProjectSessionApi } from '../../project/types.ts';

export const FAKE_FILES: Record<string, string> = { '/app/hello.txt': 'hello from stage 1\n' };

export function fakeReport(): Report {
  return {
    dockerfile: 'Dockerfile',
    engine: { version: '26.1.5', apiVersion: '1.45' },
    builder: 'buildkit',
    target: 'final',
    targetIndex: 1,
    warnings: [],
    stages: [],
    copies: [],
    sizes: { final: 10, largestBuilder: null, saved: null },
  };
}

export interface FakeSession extends ProjectSessionApi {
  /** Lets a test hold analyze() open until it calls release(). */
  gate: { release(): void } | null;
  analyzeCalls: number;
  extracted: { stage: number; path: string; dest: string }[];
}

export function fakeSession(root: string, opts: { holdBuilds?: boolean } = {}): FakeSession {
  let report: Report | null = null;
  const s: FakeSession = {
    root,
    gate: null,
    analyzeCalls: 0,
    extracted: [],
    listDockerfiles: async () => ['Dockerfile', 'sub/app.Dockerfile'],
    parse: async () => {
      throw new StageScopeError('dockerfile', 'not parsed in the fake', null, { path: 'Dockerfile', line: null });
    },
    async analyze(_args, hooks: AnalyzeHooks = {}) {
      s.analyzeCalls++;
      hooks.onPhase?.('build', { stage: 0 });
      hooks.onEvent?.({ type: 'stage-start', stage: 0, tag: 'stagescope/x:0' });
      if (opts.holdBuilds) {
        await new Promise<void>((resolve, reject) => {
          s.gate = { release: resolve };
          hooks.signal?.addEventListener('abort', () => reject(new Error('socket hang up')));
        });
      }
      report = fakeReport();
      return report;
    },
    report: () => report,
    treeRows: async (args) => ({ rows: [], total: args.stage }),
    diffSummary: async () => ({
      counts: { added: 0, removed: 0, modified: 0, moved: 0 },
      totals: { added: 0, removed: 0, modified: 0 },
      bytesAdded: 0,
      bytesRemoved: 0,
      moved: [],
    }),
    diffRows: async () => ({ rows: [], total: 0 }),
    diffFile: async () => ({ before: null, after: null, binary: false, truncated: false }),
    copies: async () => [],
    preview: async ({ path }) => {
      throw new StageScopeError('not-found', `No file ${path}.`, null);
    },
    async readFile(stage, path) {
      const content = FAKE_FILES[path];
      if (content === undefined)
        throw new StageScopeError('not-found', `Stage ${stage} has no file ${path}.`, 'Pick a file from the tree.');
      return { stream: Readable.from([Buffer.from(content)]), size: Buffer.byteLength(content), name: path.split('/').pop()! };
    },
    async extract(args) {
      s.extracted.push(args);
      return { path: args.dest, bytes: 3 };
    },
    treemap: async () => ({ name: '/', path: '/', size: 0 }),
  };
  return s;
}
