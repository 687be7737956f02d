// Images opened by reference, through the whole window against a fake API: "Open image…" (with
// an index's platform picker), the image in the Stage view like a stage (layers, tree, preview),
// and either side of a Diff against a stage.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import type { RequestArgs } from '../../../shared/api.ts';
import type { TreeRow } from '../../../shared/model.ts';
import { fakeApi, type Handlers } from '../testing/fakeApi.ts';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, openedImage, plan, report } from '../testing/fixtures.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

const engineOk = { ok: true as const, info: { version: '26.1.5', apiVersion: '1.45' }, host: 'unix:///var/run/docker.sock' };
const LABEL = `${openedImage.label} (linux/arm64/v8)`;

const motd: TreeRow = {
  path: '/etc/motd',
  name: 'motd',
  depth: 0,
  type: 'file',
  size: 3,
  change: 'added',
  childCount: 0,
  mode: 0o644,
  uid: 0,
  gid: 0,
  linkTarget: null,
};

function setup(project: boolean) {
  const asked: { name: string; args: unknown }[] = [];
  const log =
    <A, T>(name: string, answer: (args: A) => T) =>
    (args: A) => {
      asked.push({ name, args });
      return answer(args);
    };
  const handlers: Handlers = {
    'engine.status': () => engineOk,
    'project.recent': () => (project ? ['/proj'] : []),
    'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile'] }),
    'dockerfile.parse': () => ({ model, plan }),
    'report.get': () => (project ? report : null),
    'build.last': () => null,
    'image.platforms': log('image.platforms', () => ['linux/amd64', 'linux/arm64/v8']),
    'image.open': log('image.open', () => openedImage),
    'tree.rows': log('tree.rows', () => ({ rows: [motd], total: 1 })),
    'file.preview': log('file.preview', ({ path }) => ({
      meta: { path, type: 'file', size: 3, mode: 0o644, uid: 0, gid: 0, linkTarget: null, hash: null },
      kind: 'binary',
      text: null,
      truncated: false,
      unavailable:
        'The image archive /tmp/x.tar cannot be read any more: it was moved, deleted or made unreadable since the image was opened.',
    })),
    'diff.summary': log('diff.summary', () => ({
      counts: { added: 1, removed: 0, modified: 0, moved: 0 },
      totals: { added: 3, removed: 0, modified: 0 },
      bytesAdded: 3,
      bytesRemoved: 0,
      moved: [],
    })),
    'diff.rows': log('diff.rows', () => ({ rows: [motd], total: 1 })),
    'history.list': () => [],
  };
  render(App, { api: fakeApi(handlers, 'browser') });
  return { asked, of: (name: string) => asked.filter((a) => a.name === name).map((a) => a.args) };
}

async function openImage() {
  await fireEvent.input(await screen.findByLabelText('Image'), { target: { value: 'oci:/tmp/layout:multi' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Open image' }));
  const picker = await screen.findByLabelText('Platform');
  expect(
    within(picker)
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['linux/amd64', 'linux/arm64/v8']);
  await fireEvent.change(picker, { target: { value: 'linux/arm64/v8' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Open this platform' }));
}

describe('Opened images', () => {
  it('opens from the welcome view and shows in the Stage view with its layers and tree', async () => {
    const { of } = setup(false);
    await fireEvent.click(await screen.findByRole('button', { name: 'Inspect an image…' }));
    await openImage();
    expect(of('image.open')).toEqual([{ ref: 'oci:/tmp/layout:multi', platform: 'linux/arm64/v8' }]);
    expect(screen.getByRole('tab', { name: 'Stage' }).getAttribute('aria-selected')).toBe('true');
    // Listed as an image (never taken for a stage), its reference as text.
    const list = screen.getByRole('region', { name: 'Opened images' });
    expect(within(list).getByRole('button', { name: `image ${LABEL} 1.02 kB` })).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    const layers = screen.getByRole('region', { name: 'Layers' });
    expect(within(layers).getByText(LABEL)).toBeTruthy();
    await fireEvent.click(within(layers).getByRole('button', { name: /RUN echo hi > \/etc\/motd/ }));
    expect(within(screen.getByRole('region', { name: 'Layer details' })).getByText(`${LABEL}, layer 2/2`)).toBeTruthy();
    await screen.findByRole('tree', { name: `Files of ${LABEL}` });
    await waitFor(() => expect(of('tree.rows').at(-1)).toMatchObject({ image: openedImage.id, layer: 1, view: 'layer' }));
    // The preview asks for the image's file; content it cannot read (its source gone) is said, not offered to extract.
    await fireEvent.dblClick(await screen.findByRole('treeitem', { name: 'motd' }));
    await fireEvent.keyDown(screen.getByRole('treeitem', { name: 'motd' }), { key: 'Enter' });
    await screen.findByText(
      'The image archive /tmp/x.tar cannot be read any more: it was moved, deleted or made unreadable since the image was opened.',
    );
    expect(of('file.preview').at(-1)).toEqual({ image: openedImage.id, path: '/etc/motd' });
    expect(screen.queryByRole('link', { name: /Extract/ })).toBeNull();
    expect(screen.queryByLabelText('changes since last build')).toBeNull();
  });

  it('is a side of the Diff beside the stages; closing it takes it out', async () => {
    const { of } = setup(true);
    await screen.findByRole('button', { name: 'Open image…' });
    await fireEvent.click(screen.getByRole('button', { name: 'Open image…' }));
    await openImage();
    await fireEvent.click(screen.getByRole('tab', { name: 'Diff' }));
    const to = screen.getByLabelText('Diff to stage') as HTMLSelectElement;
    const group = within(to).getByRole('group', { name: 'Opened images' });
    expect(
      within(group)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([`image ${LABEL}`]);
    // Opening an image made it the "to" side, against the target stage.
    await waitFor(() => expect(of('diff.summary').at(-1)).toEqual({ a: { stage: 2 }, b: { image: openedImage.id } }));
    await screen.findByRole('tree', { name: 'Changed files' });
    expect((of('diff.rows').at(-1) as RequestArgs<'diff.rows'>).b).toEqual({ image: openedImage.id });
    expect(screen.getByRole('region', { name: 'Opened images' }).textContent).toContain('diff to');
    // The snapshot picker is a stage's: an image side has none.
    expect((screen.getByLabelText('Diff to source') as HTMLSelectElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: `Close image ${LABEL}` }));
    expect(screen.queryByRole('region', { name: 'Opened images' })).toBeNull();
    expect(within(screen.getByLabelText('Diff to stage')).queryByRole('group')).toBeNull();
  });
});
