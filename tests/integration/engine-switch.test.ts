// The header's engine switch (engine.contexts / engine.use): a docker context chosen for this app
// session is what the next engine request uses, the project session's included (it reconnects),
// and going back to the default finds the engine again. The docker configuration is not written.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/core/api/handlers.ts';
import { useContext } from '../../electron/core/docker/contexts.ts';
import { contextDigest } from '../../electron/core/docker/endpoint.ts';
import { engineStatus } from '../../electron/core/project/engine-status.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';
import { engine } from './harness.ts';

const saved = process.env.DOCKER_CONFIG;
afterAll(async () => {
  useContext(null);
  if (saved === undefined) delete process.env.DOCKER_CONFIG;
  else process.env.DOCKER_CONFIG = saved;
  await removeTempDirs();
});

describe('engine switch', () => {
  it('switches the app, and the open project, to another context and back', async () => {
    await engine();
    const config = await makeTempDir('stagescope-contexts-');
    const meta = join(config, 'contexts', 'meta', contextDigest('elsewhere'));
    await mkdir(meta, { recursive: true });
    const host = `unix://${join(config, 'no-engine.sock')}`;
    await writeFile(join(meta, 'meta.json'), JSON.stringify({ Name: 'elsewhere', Endpoints: { docker: { Host: host } } }));
    process.env.DOCKER_CONFIG = config;
    const session = await openProject(fixtureDir('from-stage'));
    const table = createHandlers({
      getSession: () => session,
      openSession: async () => session,
      recent: { list: async () => [], add: async () => undefined },
      emit: () => undefined,
      engineStatus,
    });
    const first = await session.engine();
    const contexts = await table['engine.contexts']({});
    expect(contexts.contexts.map((c) => c.name)).toEqual(['default', 'elsewhere']);
    expect(contexts.current).toBe('default');

    const away = await table['engine.use']({ context: 'elsewhere' });
    expect(away).toMatchObject({ ok: false, host, context: 'elsewhere' });
    expect((await table['engine.contexts']({})).current).toBe('elsewhere');
    // The session does not keep talking to the engine it connected to first.
    await expect(session.engine()).rejects.toMatchObject({ code: 'engine' });

    const back = await table['engine.use']({ context: null });
    expect(back.ok).toBe(true);
    expect(await session.engine()).toBe(first);
    // Nothing was written to the docker configuration.
    expect(await readdir(config)).toEqual(['contexts']);
  });
});
