// Component tests of the whole window against a fake API built from canned data; the real
// transports (Electron IPC, the browser host's WebSocket) and the real engine are covered by e2e.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from './App.svelte';
import { StageScopeError, serializeError } from '../../shared/errors.ts';
import type { TreeRow } from '../../shared/model.ts';
import { fakeApi, type Handlers } from './testing/fakeApi.ts';
import { installLayoutStub } from './testing/layout-stub.ts';
import { model, plan, report, XSS_NAME } from './testing/fixtures.ts';
import { ENGINE_RETRY_MS } from './state/app.svelte.ts';

beforeAll(installLayoutStub);
afterEach(cleanup);

const engineOk = { ok: true as const, info: { version: '26.1.5', apiVersion: '1.45' }, host: 'unix:///var/run/docker.sock' };

function row(path: string, type: TreeRow['type'], change: TreeRow['change'], childCount = 0): TreeRow {
  const name = path.split('/').pop()!;
  return {
    path,
    name,
    depth: path.split('/').length - 2,
    type,
    size: 42,
    change,
    childCount,
    mode: 0o644,
    uid: 0,
    gid: 0,
    linkTarget: null,
  };
}

function projectHandlers(extra: Handlers = {}): Handlers {
  return {
    'engine.status': () => engineOk,
    'project.recent': () => ['/proj'],
    'project.open': ({ path }) => ({ root: path, dockerfiles: ['Dockerfile', 'sub/api.Dockerfile'] }),
    'dockerfile.parse': () => ({ model, plan }),
    'report.get': () => report,
    ...extra,
  };
}

describe('App', () => {
  it('shows an unreachable engine with its hint and a Retry that recovers', async () => {
    let up = false;
    const api = fakeApi({
      'engine.status': () =>
        up
          ? engineOk
          : {
              ok: false,
              host: 'unix:///var/run/docker.sock',
              error: serializeError(
                new StageScopeError(
                  'engine',
                  'Cannot reach the Docker Engine at unix:///var/run/docker.sock.',
                  'Start Docker (sudo systemctl start docker) or set DOCKER_HOST.',
                ),
              ),
            },
      'project.recent': () => [],
    });
    render(App, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Docker Engine unreachable');
    expect(alert.textContent).toContain('Cannot reach the Docker Engine');
    expect(alert.textContent).toContain('What to try: Start Docker (sudo systemctl start docker) or set DOCKER_HOST.');
    up = true;
    const checks = api.calls.filter((c) => c.name === 'engine.status').length;
    await fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(api.calls.filter((c) => c.name === 'engine.status').length).toBe(checks + 1);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByText(/Engine 26.1.5/)).toBeTruthy();
  });

  it('shows a Dockerfile error at its line', async () => {
    const api = fakeApi(
      projectHandlers({
        'dockerfile.parse': () => {
          throw new StageScopeError('dockerfile', 'Unknown instruction FORM.', 'Did you mean FROM?', {
            path: 'Dockerfile',
            line: 3,
            column: 1,
          });
        },
        'report.get': () => null,
      }),
      'browser',
    );
    render(App, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Dockerfile error');
    expect(alert.textContent).toContain('line 3, column 1');
    expect(alert.textContent).toContain('Did you mean FROM?');
  });

  it('opens the browser host project, renders hostile names as text, previews and offers a download', async () => {
    const api = fakeApi(
      projectHandlers({
        'tree.rows': ({ expanded }) => {
          const rows = [row('/app', 'file', 'added'), row('/etc', 'dir', 'unchanged', 1)];
          if (expanded !== 'all' && expanded.includes('/etc')) rows.push(row('/etc/motd', 'file', 'unchanged'));
          rows.push(row(`/${XSS_NAME}`, 'file', 'added'));
          return { rows, total: rows.length };
        },
        'file.preview': ({ path }) => ({
          meta: { path, type: 'file', size: 30, mode: 0o755, uid: 0, gid: 0, linkTarget: null, hash: 'ab'.repeat(32) },
          kind: 'text',
          text: '<script>alert(1)</script>\n<b>bold</b>',
          truncated: false,
        }),
      }),
      'browser',
    );
    render(App, { api });
    expect(await screen.findByRole('button', { name: 'Build' })).toBeTruthy();
    expect((screen.getByLabelText('Dockerfile') as HTMLSelectElement).value).toBe('Dockerfile');
    await screen.findByRole('button', { name: 'builder' });

    await fireEvent.click(screen.getByRole('tab', { name: 'Stage' }));
    const tree = await screen.findByRole('tree', { name: 'Files of stage-2' });
    const hostile = await within(tree).findByRole('treeitem', { name: XSS_NAME });
    expect(hostile.textContent).toContain(XSS_NAME);
    expect(document.querySelector('img')).toBeNull();
    // Change is marked by a symbol and a word, not by color only.
    expect(within(tree).getByRole('treeitem', { name: 'app' }).textContent).toContain('added');

    const etc = within(tree).getByRole('treeitem', { name: 'etc' });
    expect(etc.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(etc);
    expect(await within(tree).findByRole('treeitem', { name: 'motd' })).toBeTruthy();
    expect(within(tree).getByRole('treeitem', { name: 'etc' }).getAttribute('aria-expanded')).toBe('true');

    // Rows are recycled by index: find the hostile file again after the tree changed.
    await fireEvent.click(within(tree).getByRole('treeitem', { name: XSS_NAME }));
    const preview = await screen.findByRole('region', { name: 'File preview' });
    await within(preview).findByText(/SHA-256/);
    expect(preview.textContent).toContain('-rwxr-xr-x');
    expect(within(preview).getByLabelText('File content').textContent).toBe('<script>alert(1)</script>\n<b>bold</b>');
    expect(preview.querySelector('script, b')).toBeNull();
    const link = within(preview).getByRole('link', { name: /Extract/ });
    const href = new URL(link.getAttribute('href')!, 'http://127.0.0.1');
    expect(href.pathname).toBe('/download');
    expect(href.searchParams.get('stage')).toBe('2');
    expect(href.searchParams.get('path')).toBe(`/${XSS_NAME}`);
  });

  it('runs a build: live steps, a failure at its line with its log, and the report at the end', async () => {
    const api = fakeApi(projectHandlers({ 'report.get': () => null, 'build.start': () => ({ buildId: 'b1' }) }), 'browser');
    render(App, { api });
    const build = await screen.findByRole('button', { name: 'Build' });
    await waitFor(() => expect((build as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(build);
    expect(api.calls.find((c) => c.name === 'build.start')?.args).toMatchObject({
      dockerfile: 'Dockerfile',
      builder: 'buildkit',
      allStages: false,
    });
    await screen.findByRole('button', { name: 'Cancel' });

    const t0 = 1_700_000_000_000;
    api.emit('build.event', { buildId: 'b1', event: { type: 'stage-start', stage: 0, tag: 'x' } });
    api.emit('build.event', {
      buildId: 'b1',
      event: { type: 'vertex', stage: 0, id: 'v1', name: '[builder 2/2] RUN go build', line: 2, status: 'started', started: t0 },
    });
    api.emit('build.event', { buildId: 'b1', event: { type: 'log', stage: 0, vertex: 'v1', text: 'compiling <main>\n' } });
    const region = screen.getByRole('region', { name: 'Build progress' });
    api.emit('build.phase', { buildId: 'b1', phase: 'export', stage: 0, bytes: 3 * 1024 * 1024 });
    await waitFor(() => expect(region.textContent).toContain('running'));
    expect(region.textContent).toContain('exporting builder (3.15 MB)');
    expect(screen.getByLabelText('Build log').textContent).toContain('[builder] compiling <main>');

    api.emit('build.event', {
      buildId: 'b1',
      event: {
        type: 'vertex',
        stage: 0,
        id: 'v1',
        name: '[builder 2/2] RUN go build',
        line: 2,
        status: 'failed',
        started: t0,
        completed: t0 + 1500,
        error: 'exit code 1',
      },
    });
    const failure = {
      stage: 0,
      stageName: 'builder',
      instruction: 'RUN go build -o /out/app .',
      line: 2,
      message: 'process exited with code 1',
      logs: ['main.go:3: undefined: x'],
    };
    api.emit('build.event', { buildId: 'b1', event: { type: 'stage-failed', stage: 0, failure } });
    api.emit('build.done', {
      buildId: 'b1',
      report: null,
      error: serializeError(new StageScopeError('build', 'Stage builder failed at line 2.', 'Fix the RUN command and build again.')),
    });

    await waitFor(() => expect(region.textContent).toContain('Stage builder failed at line 2'));
    expect(region.textContent).toContain('1.5 s');
    expect(within(region).getByLabelText('Failure log').textContent).toContain('main.go:3: undefined: x');
    expect(screen.getByRole('button', { name: 'builder' }).getAttribute('data-state')).toBe('failed');
    const banner = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Build failed'))!;
    expect(banner.textContent).toContain('Fix the RUN command and build again.');
    expect(screen.getByRole('button', { name: 'Build' })).toBeTruthy();
  });
});

describe('App project events', () => {
  it('follows a project opened from outside (File menu, serve <folder>)', async () => {
    const api = fakeApi(projectHandlers({ 'project.recent': () => [], 'report.get': () => null }));
    render(App, { api });
    await screen.findByText(/Engine 26.1.5/);
    expect(screen.queryByLabelText('Dockerfile')).toBeNull();
    api.emit('project.opened', { root: '/elsewhere', dockerfiles: ['Dockerfile'] });
    await screen.findByRole('button', { name: 'builder' });
    expect((screen.getByLabelText('Project folder') as HTMLInputElement).value).toBe('/elsewhere');
    expect(screen.getByRole('button', { name: 'Choose folder…' })).toBeTruthy();
  });
});

describe('App engine reconnect', () => {
  it('checks an unreachable engine again by itself', async () => {
    vi.useFakeTimers();
    try {
      let up = false;
      const api = fakeApi({
        'engine.status': () =>
          up ? engineOk : { ok: false, host: 'h', error: serializeError(new StageScopeError('engine', 'No engine.', 'Start it.')) },
        'project.recent': () => [],
      });
      render(App, { api });
      await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('No engine.'));
      up = true;
      await vi.advanceTimersByTimeAsync(ENGINE_RETRY_MS + 10);
      await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('App project controls', () => {
  it('re-plans for a new target and lists the Dockerfiles found', async () => {
    const api = fakeApi(projectHandlers({ 'report.get': () => null }), 'browser');
    render(App, { api });
    const target = (await screen.findByLabelText('Target')) as HTMLSelectElement;
    await waitFor(() => expect(target.disabled).toBe(false));
    expect([...target.options].map((o) => o.textContent)).toEqual(['last stage', 'builder', 'debug', 'stage-2']);
    const files = screen.getByLabelText('Dockerfile') as HTMLSelectElement;
    expect([...files.options].map((o) => o.value)).toEqual(['Dockerfile', 'sub/api.Dockerfile']);
    await fireEvent.change(target, { target: { value: 'debug' } });
    await waitFor(() => expect(api.calls.filter((c) => c.name === 'dockerfile.parse').at(-1)?.args).toMatchObject({ target: 'debug' }));
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).toBeNull();
  });
});

describe('App cancel', () => {
  it('cancels the running build by its id and says so calmly, keeping the steps', async () => {
    const api = fakeApi(
      projectHandlers({ 'report.get': () => null, 'build.start': () => ({ buildId: 'b9' }), 'build.cancel': () => ({ cancelled: true }) }),
      'browser',
    );
    render(App, { api });
    const build = await screen.findByRole('button', { name: 'Build' });
    await waitFor(() => expect((build as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(build);
    api.emit('build.event', {
      buildId: 'b9',
      event: { type: 'vertex', stage: 0, id: 'v', name: '[builder 2/2] RUN go build', line: 2, status: 'started', started: Date.now() },
    });
    await fireEvent.click(await screen.findByRole('button', { name: 'Cancel build' }));
    expect(api.calls.find((c) => c.name === 'build.cancel')?.args).toEqual({ buildId: 'b9' });
    api.emit('build.done', {
      buildId: 'b9',
      report: null,
      error: serializeError(new StageScopeError('cancelled', 'The build was cancelled.')),
    });
    // A cancel is the user's own act: one neutral heading with how long it ran, no red banner.
    const region = screen.getByRole('region', { name: 'Build progress' });
    await waitFor(() => expect(region.textContent).toMatch(/Cancelled after \d/));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(region.textContent).not.toContain('Build cancelled');
    expect(screen.getByRole('button', { name: 'builder' }).getAttribute('data-state')).toBe('not built');
    // The step list stays: the stopped step with the time it ran, the queued ones "not run".
    expect(within(region).getByText('stopped').closest('li')!.textContent).toMatch(/\d+(\.\d)? (ms|s)/);
    expect(within(region).getByText('not run').closest('li')!.textContent).toContain('COPY --from=builder');
    expect(region.textContent).not.toContain('running');
  });
});

describe('App recent projects', () => {
  it('offers the recent folders in the desktop app and opens one on click', async () => {
    const api = fakeApi(projectHandlers({ 'project.recent': () => ['/a', '/b'], 'report.get': () => null }));
    render(App, { api });
    const nav = await screen.findByRole('navigation', { name: 'Recent projects' });
    await fireEvent.click(within(nav).getByRole('button', { name: '/b' }));
    await screen.findByRole('button', { name: 'builder' });
    expect(api.calls.find((c) => c.name === 'project.open')?.args).toEqual({ path: '/b' });
    expect(screen.queryByRole('navigation', { name: 'Recent projects' })).toBeNull();
  });
});
