// First launch and empty states: the welcome view (Open with folder completion, Recent) and a
// folder without a Dockerfile, through the whole window against a fake API.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../App.svelte';
import { StageScopeError } from '../../../shared/errors.ts';
import type { ResponseTypes } from '../../../shared/api.ts';
import { fakeApi, heldAnswers, type Handlers } from '../testing/fakeApi.ts';
import { installLayoutStub } from '../testing/layout-stub.ts';
import { model, plan } from '../testing/fixtures.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

const engineOk = { ok: true as const, info: { version: '26.1.5', apiVersion: '1.45' }, host: 'unix:///var/run/docker.sock' };
const FOLDERS: Record<string, string[]> = { '/ho': ['/home'], '/home/': ['/home/me', '/home/you'] };

function handlers(extra: Handlers = {}): Handlers {
  return {
    'engine.status': () => engineOk,
    'project.recent': () => [],
    'folder.complete': ({ prefix }) => {
      if (prefix.startsWith('/nope'))
        throw new StageScopeError('not-found', 'The folder /nope does not exist.', 'Check the path you typed.');
      return { folders: FOLDERS[prefix] ?? [], truncated: false };
    },
    'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile'] }),
    'dockerfile.parse': () => ({ model, plan }),
    'report.get': () => null,
    'build.last': () => null,
    ...extra,
  };
}

const options = (name: string) =>
  within(screen.getByRole('listbox', { name }))
    .getAllByRole('option')
    .map((o) => o.textContent?.trim());

describe('WelcomeView', () => {
  it('first launch: a path field that completes folders (keyboard), then Open', async () => {
    const api = fakeApi(handlers(), 'browser');
    render(App, { api });
    expect(await screen.findByRole('heading', { name: 'Open a project' })).toBeTruthy();
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).toBeNull(); // browser: no native picker
    const field = screen.getByRole('combobox', { name: 'Project folder' });
    field.focus();
    await fireEvent.input(field, { target: { value: '/ho' } });
    await waitFor(() => expect(options('Folders')).toEqual(['/home']));
    expect(field.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(field.getAttribute('aria-activedescendant')).toBe('folder-option-0');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect((field as HTMLInputElement).value).toBe('/home/');
    await waitFor(() => expect(options('Folders')).toEqual(['/home/me', '/home/you']));
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await fireEvent.keyDown(field, { key: 'Tab' });
    expect((field as HTMLInputElement).value).toBe('/home/you/');
    await fireEvent.submit(field.closest('form')!);
    await screen.findByRole('tablist');
    expect(api.calls.find((c) => c.name === 'project.open')?.args).toEqual({ path: '/home/you' });
    expect(api.calls.filter((c) => c.name === 'folder.complete').map((c) => c.args)).toContainEqual({ prefix: '/home/' });
  });

  it('says clearly when the typed folder does not exist', async () => {
    render(App, { api: fakeApi(handlers(), 'browser') });
    const field = await screen.findByRole('combobox', { name: 'Project folder' });
    await fireEvent.input(field, { target: { value: '/nope/x' } });
    await waitFor(() => expect(screen.getByText('The folder /nope does not exist.')).toBeTruthy());
    expect(field.getAttribute('aria-describedby')).toBe('folder-problem');
  });

  it('completion is latest-wins: the answer for an earlier prefix arriving last is dropped', async () => {
    const held = heldAnswers<{ prefix: string }, ResponseTypes['folder.complete']>();
    render(App, { api: fakeApi(handlers({ 'folder.complete': held.handler }), 'browser') });
    const field = await screen.findByRole('combobox', { name: 'Project folder' });
    field.focus();
    await fireEvent.input(field, { target: { value: '/s' } });
    await fireEvent.input(field, { target: { value: '/sr' } });
    held.calls[1].resolve({ folders: ['/srv'], truncated: false });
    await waitFor(() => expect(options('Folders')).toEqual(['/srv']));
    held.calls[0].resolve({ folders: ['/sbin', '/srv', '/sys'], truncated: false });
    await new Promise((r) => setTimeout(r, 10));
    expect(options('Folders')).toEqual(['/srv']);
  });

  it('lists the recent projects and opens one; the native picker in Electron', async () => {
    const api = fakeApi(handlers({ 'project.recent': () => ['/a', '/b'], 'project.choose': () => null }));
    render(App, { api });
    const nav = await screen.findByRole('navigation', { name: 'Recent projects' });
    await fireEvent.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(api.calls.some((c) => c.name === 'project.choose')).toBe(true);
    await fireEvent.click(within(nav).getByRole('button', { name: '/b' }));
    await screen.findByRole('tablist');
    // Once open, the header's field offers the recent projects when focused.
    const field = screen.getByRole('combobox', { name: 'Project folder' });
    field.focus();
    await waitFor(() => expect(options('Recent projects')).toEqual(['/b', '/a'])); // the one opened last first
  });

  it('a folder without a Dockerfile is a real empty state naming the file names looked for', async () => {
    const api = fakeApi(
      handlers({ 'project.recent': () => ['/empty', '/other'], 'project.open': ({ path }) => ({ root: path, dockerfiles: [] }) }),
      'browser',
    );
    render(App, { api });
    // The browser host reopens its newest recent folder: no welcome flashes before it.
    const heading = await screen.findByRole('heading', { name: 'No Dockerfile found in this folder' });
    const view = heading.closest('section')!;
    expect(view.textContent).toContain('/empty');
    expect(view.textContent).toMatch(/StageScope looks for Dockerfile, \*\.Dockerfile, Dockerfile\.\*, Containerfile/);
    expect(screen.queryByLabelText('Dockerfile')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Build' })).toBeNull();
    // Another folder can be opened from here; the open one is not offered again.
    const nav = screen.getByRole('navigation', { name: 'Recent projects' });
    expect(
      within(nav)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['/other']);
    expect(screen.queryByRole('heading', { name: 'Open a project' })).toBeNull();
    expect(screen.getAllByRole('combobox', { name: 'Project folder' })).toHaveLength(1);
  });
});

describe('WelcomeView and images', () => {
  it('offers "Open image…" without a project, in place; Cancel folds it away', async () => {
    render(App, { api: fakeApi(handlers(), 'browser') });
    const inspect = await screen.findByRole('button', { name: 'Inspect an image…' });
    await fireEvent.click(inspect);
    expect(inspect.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Open a project' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Open image' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Image')).toBeNull();
  });
});

describe('WelcomeView on a reload', () => {
  it('does not flash while the browser host reopens its project', async () => {
    const held = heldAnswers<{ path: string }, ResponseTypes['project.open']>();
    const api = fakeApi(handlers({ 'project.recent': () => ['/proj'], 'project.open': held.handler }), 'browser');
    render(App, { api });
    await waitFor(() => expect(held.calls).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByRole('heading', { name: 'Open a project' })).toBeNull();
    held.calls[0].resolve({ root: '/proj', dockerfiles: ['Dockerfile'] });
    await screen.findByRole('tablist');
  });
});
