// Component test against a fake API built from canned data; the real transports are covered by e2e.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import FilePreview from './FilePreview.svelte';
import { fakeApi, heldAnswers } from '../testing/fakeApi.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import type { FilePreview as Preview } from '../../../shared/api.ts';

afterEach(cleanup);

const binary: Preview = {
  meta: { path: '/bin/app', type: 'file', size: 70_000, mode: 0o4755, uid: 1000, gid: 1000, linkTarget: null, hash: 'cd'.repeat(32) },
  kind: 'binary',
  text: '00000000  7f 45 4c 46 02 01 01 00  |.ELF....|',
  truncated: true,
};

describe('FilePreview', () => {
  it('shows metadata and hex, and extracts through the save dialog in Electron', async () => {
    let cancel = false;
    const api = fakeApi({
      'file.preview': () => binary,
      'file.extract': ({ dest }) => {
        if (cancel) throw new StageScopeError('cancelled', 'The file was not saved.');
        return { path: `/home/me/Downloads/${dest}`, bytes: 70_000 };
      },
    });
    render(FilePreview, { api, side: { stage: 0 }, path: '/bin/app', stageName: 'builder' });
    await screen.findByText('-rwsr-xr-x');
    expect(screen.getByText('1000:1000')).toBeTruthy();
    expect(screen.getByLabelText('File content').textContent).toContain('7f 45 4c 46');
    expect(screen.getByText(/first 64 KiB/)).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Extract…' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Wrote 70.0 kB to /home/me/Downloads/app');
    expect(api.calls.find((c) => c.name === 'file.extract')?.args).toEqual({ stage: 0, path: '/bin/app', dest: 'app' });

    cancel = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Extract…' }));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a symlink target', async () => {
    const api = fakeApi(
      {
        'file.preview': () => ({
          meta: { path: '/lib', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'usr/lib', hash: null },
          kind: 'symlink',
          text: null,
          truncated: false,
        }),
      },
      'browser',
    );
    render(FilePreview, { api, side: { stage: 1 }, path: '/lib', stageName: 'final' });
    expect(await screen.findByText(/Symbolic link to/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Extract/ })).toBeNull();
  });
});

describe('FilePreview races', () => {
  it('shows the file asked for last: an error for an earlier file arriving later is dropped', async () => {
    const held = heldAnswers<{ stage: number; path: string } | { image: string; path: string }, Preview>();
    const api = fakeApi({ 'file.preview': held.handler });
    const view = render(FilePreview, { api, side: { stage: 0 }, path: '/bin/app', stageName: 'builder' });
    await view.rerender({ api, side: { stage: 0 }, path: '/lib', stageName: 'builder' });
    expect(held.calls.map((c) => c.args.path)).toEqual(['/bin/app', '/lib']);
    held.calls[1].resolve({ ...binary, meta: { ...binary.meta, path: '/lib', uid: 7, gid: 7 } });
    await screen.findByText('7:7');
    held.calls[0].reject(new StageScopeError('not-found', '/bin/app does not exist in this stage.'));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.getByText('7:7')).toBeTruthy();
    expect(screen.queryByText('1000:1000')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a newer error is shown, and an older success arriving after it does not hide it', async () => {
    const held = heldAnswers<{ stage: number; path: string } | { image: string; path: string }, Preview>();
    const api = fakeApi({ 'file.preview': held.handler });
    const view = render(FilePreview, { api, side: { stage: 0 }, path: '/bin/app', stageName: 'builder' });
    await view.rerender({ api, side: { stage: 0 }, path: '/gone', stageName: 'builder' });
    held.calls[1].reject(new StageScopeError('not-found', '/gone does not exist in this stage.'));
    expect((await screen.findByRole('alert')).textContent).toContain('/gone does not exist');
    held.calls[0].resolve(binary);
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.queryByText('1000:1000')).toBeNull();
  });
});
