import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { formatSourceRef, parseSourceRef } from './ref.ts';

describe('parseSourceRef', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-ref-'));
  const file = join(dir, 'saved.tar');
  writeFileSync(file, '');

  it('reads every scheme', () => {
    expect(parseSourceRef(`oci:${dir}`)).toEqual({ kind: 'oci-dir', path: dir, tag: null });
    expect(parseSourceRef(`oci:${dir}:v1`)).toEqual({ kind: 'oci-dir', path: dir, tag: 'v1' });
    expect(parseSourceRef(`oci-archive:${file}`)).toEqual({ kind: 'oci-archive', path: file, tag: null });
    expect(parseSourceRef(`docker-archive:${file}`)).toEqual({ kind: 'archive', path: file });
    expect(parseSourceRef('registry:127.0.0.1:5000/team/app:2')).toEqual({
      kind: 'registry',
      host: '127.0.0.1:5000',
      repository: 'team/app',
      tag: '2',
      digest: null,
    });
    expect(parseSourceRef('docker-daemon:app:1')).toEqual({ kind: 'engine', ref: 'app:1' });
  });

  it('a plain name is the engine, an existing file an archive, --source registry a registry', () => {
    expect(parseSourceRef('app:1')).toEqual({ kind: 'engine', ref: 'app:1' });
    expect(parseSourceRef(file)).toEqual({ kind: 'archive', path: file });
    expect(parseSourceRef('alpine', 'registry')).toEqual({
      kind: 'registry',
      host: 'registry-1.docker.io',
      repository: 'library/alpine',
      tag: 'latest',
      digest: null,
    });
  });

  it('registry references as the docker CLI reads them', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    expect(parseSourceRef(`registry:localhost/x@${d}`)).toMatchObject({ host: 'localhost', repository: 'x', tag: null, digest: d });
    expect(parseSourceRef('registry:docker.io/user/app')).toMatchObject({
      host: 'registry-1.docker.io',
      repository: 'user/app',
      tag: 'latest',
    });
    expect(() => parseSourceRef('registry:host.io/Bad/Name')).toThrow(StageScopeError);
    expect(() => parseSourceRef('registry:host.io/app@sha256:12')).toThrow(/not sha256/);
    expect(() => parseSourceRef('oci:')).toThrow(/names no OCI layout folder/);
  });

  it('formats back', () => {
    for (const r of ['oci:/x:t', 'registry:h.io/a/b:1', 'app:1']) expect(formatSourceRef(parseSourceRef(r))).toBe(r);
  });
});
