import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../../shared/model.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { failureLogs } from './build-steps.ts';
import { jsonMessages, ProgressDecoder } from './progress.ts';
import { parseVertexName, stepLocatorFor } from './vertex-name.ts';

// Streams captured from real builds on Engine 26.1 (POST /build, see testdata/*.Dockerfile).
const testdata = join(import.meta.dirname, 'testdata');

async function decode(fixture: string, dockerfile: string) {
  const model = parseDockerfile(readFileSync(join(testdata, dockerfile), 'utf8'), { path: dockerfile });
  const events: BuildEvent[] = [];
  const decoder = new ProgressDecoder(stepLocatorFor(model), (e) => events.push(e));
  for await (const msg of jsonMessages(createReadStream(join(testdata, fixture), { highWaterMark: 97 }))) decoder.handle(msg);
  decoder.finish();
  return { decoder, events, vertices: events.filter((e) => e.type === 'vertex'), logs: events.filter((e) => e.type === 'log') };
}

describe('BuildKit trace decoding', () => {
  it('ties each vertex of a 2-stage build to its stage and Dockerfile line', async () => {
    const { decoder, vertices, logs } = await decode('buildkit-ok.jsonl', 'capture.Dockerfile');
    expect(decoder.imageId).toBe('sha256:b33e116e64eb84b70caec15addcefe45515fb059cc292c982d6468d43903da21');
    expect(decoder.error).toBeNull();
    const completed = (fragment: string) => vertices.find((v) => v.status === 'completed' && v.name.includes(fragment));
    expect(completed('[build 1/4] FROM')).toMatchObject({ stage: 0, line: 1 });
    expect(completed('[build 2/4] WORKDIR')).toMatchObject({ stage: 0, line: 3 });
    expect(completed('[build 3/4] COPY')).toMatchObject({ stage: 0, line: 4 });
    expect(completed('[build 4/4] RUN')).toMatchObject({ stage: 0, line: 5 });
    expect(completed('[stage-1 1/1] COPY --from=build')).toMatchObject({ stage: 1, line: 8 });
    expect(completed('[internal] load remote build context')).toMatchObject({ stage: null, line: null });
    const run = completed('[build 4/4] RUN')!;
    expect(run.type === 'vertex' && run.completed! >= run.started!).toBe(true);
    // every vertex that started also finished, and each status is reported once
    const keys = vertices.map((v) => `${v.id}:${v.status}`);
    expect(new Set(keys).size).toBe(keys.length);
    // logs split into lines, tied to the RUN vertex and its stage
    expect(logs.map((l) => l.text).sort()).toEqual(['hello from build', 'line2']);
    expect(logs.every((l) => l.type === 'log' && l.vertex === run.id && l.stage === 0)).toBe(true);
  });

  it('reports the failing vertex with its line and the last log lines', async () => {
    const { decoder, vertices } = await decode('buildkit-fail.jsonl', 'capture-fail.Dockerfile');
    expect(decoder.imageId).toBeNull();
    expect(decoder.error).toContain('exit code: 3');
    const failed = vertices.filter((v) => v.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stage: 0, line: 3 });
    expect(vertices.find((v) => v.name.includes('FROM') && v.status === 'cached')).toBeTruthy();
    expect(decoder.failure(0)).toEqual({
      stage: 0,
      stageName: 'build', // from the model: BuildKit prints no name in a single-stage file
      instruction: 'RUN echo "about to fail" && for i in 1 2 3; do echo "log $i"; done && exit 3',
      line: 3,
      message: expect.stringContaining('did not complete successfully: exit code: 3'),
      logs: ['about to fail', 'log 1', 'log 2', 'log 3'],
    });
  });
  it('blames no instruction when the base image cannot be resolved', async () => {
    const { decoder } = await decode('buildkit-missing-base.jsonl', 'capture-missing-base.Dockerfile');
    expect(decoder.failure(0)).toMatchObject({
      stage: 0,
      instruction: null,
      line: null,
      message: expect.stringContaining('stagescope-test/nope:1'),
    });
  });
});

describe('classic builder stream', () => {
  it('turns Step lines into vertices per stage and other lines into logs', async () => {
    const { decoder, vertices, logs } = await decode('classic-ok.jsonl', 'capture.Dockerfile');
    expect(decoder.imageId).toBe('sha256:60bef68ca7da967916ef90f22b80a069f2146923264a51d9b425b77d99ca34fa');
    const started = vertices.filter((v) => v.status === 'started');
    expect(started.map((v) => [v.stage, v.line])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
      [1, 7],
      [1, 8],
    ]);
    expect(vertices.filter((v) => v.status === 'completed')).toHaveLength(7);
    expect(logs.map((l) => l.text)).toEqual(['line2']); // ANSI colour of stderr removed
  });

  it('blames the failing step', async () => {
    const { decoder } = await decode('classic-fail.jsonl', 'capture-fail.Dockerfile');
    expect(decoder.failure(0)).toMatchObject({ stage: 0, stageName: 'build', line: 3, logs: ['about to fail', 'log 1', 'log 2', 'log 3'] });
    expect(decoder.failure(0).message).toContain('returned a non-zero code: 3');
  });
});

describe('log lines', () => {
  it('joins a line split across two log messages and flushes an unterminated tail', () => {
    const events: BuildEvent[] = [];
    const d = new ProgressDecoder({ stageOfName: () => null }, (e) => events.push(e));
    d.handle({ stream: 'Step 1/2 : FROM x\n' });
    d.handle({ stream: 'Step 2/2 : RUN y\n' });
    d.handle({ stream: 'par' });
    d.handle({ stream: 'tial\nnext\n' });
    d.finish();
    // classic chunks are whole lines in practice; both pieces are still kept
    expect(events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text)).toEqual(['par', 'tial', 'next']);
  });

  it('parses JSON messages split at arbitrary byte boundaries, multibyte characters included', async () => {
    const text = '{"stream":"héllo ✓"}\n{"aux":{"ID":"sha256:1"}}\n';
    const bytes = Buffer.from(text);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const out = [];
    for await (const m of jsonMessages(Readable.from(chunks))) out.push(m);
    expect(out).toEqual([{ stream: 'héllo ✓' }, { aux: { ID: 'sha256:1' } }]);
  });
});

describe('parseVertexName', () => {
  it('reads stage, step, total and text, with padding and platform prefixes', () => {
    expect(parseVertexName('[build 2/3] RUN go build')).toEqual({ stage: 'build', step: 2, total: 3, text: 'RUN go build' });
    expect(parseVertexName('[ 2/10] RUN x')).toEqual({ stage: null, step: 2, total: 10, text: 'RUN x' });
    expect(parseVertexName('[stage-1  3/12] COPY a b')).toEqual({ stage: 'stage-1', step: 3, total: 12, text: 'COPY a b' });
    expect(parseVertexName('[linux/amd64 build 1/2] FROM x')).toEqual({ stage: 'build', step: 1, total: 2, text: 'FROM x' });
    expect(parseVertexName('[internal] load metadata')).toBeNull();
    expect(parseVertexName('exporting to image')).toBeNull();
  });
});

describe('BuildKit warnings', () => {
  it('reports a warning with its Dockerfile line', async () => {
    const protobuf = (await import('protobufjs')).default;
    const { BUILDKIT_STATUS_PROTO } = await import('./buildkit-proto.ts');
    const type = protobuf.parse(BUILDKIT_STATUS_PROTO, { keepCase: true }).root.lookupType('moby.buildkit.v1.StatusResponse');
    const aux = Buffer.from(
      type
        .encode(
          type.fromObject({
            warnings: [
              {
                vertex: 'sha256:1',
                level: 1,
                short: Buffer.from('FromAsCasing: AS and FROM keywords casing do not match'),
                url: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/',
                info: { filename: 'Dockerfile' },
                ranges: [{ start: { line: 4 }, end: { line: 4 } }],
              },
            ],
          }),
        )
        .finish(),
    ).toString('base64');
    const events: BuildEvent[] = [];
    new ProgressDecoder({ stageOfName: () => null }, (e) => events.push(e)).handle({ id: 'moby.buildkit.trace', aux });
    expect(events).toEqual([
      {
        type: 'warning',
        message:
          'Dockerfile:4: FromAsCasing: AS and FROM keywords casing do not match (https://docs.docker.com/go/dockerfile/rule/from-as-casing/)',
      },
    ]);
  });
});

describe('failure logs and the order the engine delivers them', () => {
  it('keeps every line of a failing RUN whose stderr the engine sent before its stdout', async () => {
    // Captured under load: `for i in $(seq 1 30); do echo "line $i"; done; echo boom >&2; exit 7`.
    // BuildKit reads stdout and stderr on separate pipes, so "boom" arrived first: the engine's
    // order is not the order of writes, and nothing in the stream tells the true order.
    const { decoder, logs } = await decode('buildkit-fail-interleaved.jsonl', 'capture-fail-interleaved.Dockerfile');
    const run = logs.filter((l) => l.type === 'log' && l.text !== 'ok').map((l) => (l as { text: string }).text);
    expect(run).toEqual(['boom', ...Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)]);
    const failure = decoder.failure(0);
    expect(failure).toMatchObject({ stage: 0, stageName: 'compile', line: 3, message: expect.stringContaining('exit code: 7') });
    // the report keeps the stderr line, then the tail of the stdout, in the order received
    expect(failure.logs).toEqual(['boom', ...run.slice(-19)]);
  });

  async function traceEncoder() {
    const protobuf = (await import('protobufjs')).default;
    const { BUILDKIT_STATUS_PROTO } = await import('./buildkit-proto.ts');
    const type = protobuf.parse(BUILDKIT_STATUS_PROTO, { keepCase: true }).root.lookupType('moby.buildkit.v1.StatusResponse');
    return (status: object) => ({
      id: 'moby.buildkit.trace',
      aux: Buffer.from(type.encode(type.fromObject(status)).finish()).toString('base64'),
    });
  }

  it('re-joins a line whose tail arrives in the same message as its vertex error', async () => {
    const trace = await traceEncoder();
    const vertex = { digest: 'sha256:run', name: '[build 2/2] RUN x', started: { seconds: 1 } };
    const log = (stream: number, text: string) => ({ vertex: 'sha256:run', stream, msg: Buffer.from(text) });
    const events: BuildEvent[] = [];
    const d = new ProgressDecoder({ stageOfName: () => 0 }, (e) => events.push(e));
    d.handle(trace({ vertexes: [vertex] }));
    // stdout and stderr lines each split across messages, interleaved with each other
    d.handle(trace({ logs: [log(1, 'line 29\nline 3'), log(2, 'bo')] }));
    d.handle(trace({ vertexes: [{ ...vertex, completed: { seconds: 2 }, error: 'exit code: 7' }], logs: [log(2, 'om\n'), log(1, '0\n')] }));
    d.handle({ errorDetail: { message: 'exit code: 7' } });
    d.finish();
    expect(d.failure(0).logs).toEqual(['line 29', 'boom', 'line 30']);
    // logs come before the vertex's failure, and carry its stage
    const kinds = events.map((e) => (e.type === 'vertex' ? e.status : e.type === 'log' ? `log ${e.text} @${e.stage}` : e.type));
    expect(kinds).toEqual(['started', 'log line 29 @0', 'log boom @0', 'log line 30 @0', 'failed']);
  });
});

describe('failureLogs', () => {
  const out = (text: string) => ({ text, stderr: false });
  const err = (text: string) => ({ text, stderr: true });
  it('keeps the last stderr lines even when later stdout pushes them out of the tail', () => {
    const boom = err('boom');
    const lines = [boom, ...Array.from({ length: 30 }, (_, i) => out(`line ${i + 1}`))];
    const logs = failureLogs(lines, [boom]);
    expect(logs).toHaveLength(20);
    expect(logs[0]).toBe('boom');
    expect(logs.slice(1)).toEqual(Array.from({ length: 19 }, (_, i) => `line ${i + 12}`));
  });
  it('is the plain tail when the stderr lines are in it', () => {
    const boom = err('boom');
    const lines = [...Array.from({ length: 30 }, (_, i) => out(`line ${i + 1}`)), boom];
    expect(failureLogs(lines, [boom])).toEqual([...Array.from({ length: 19 }, (_, i) => `line ${i + 12}`), 'boom']);
  });
});
