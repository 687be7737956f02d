// Previews ask the engine for a helper container each (created, never started). Before the cap,
// 200 previews requested together made 195 containers at once. Now at most
// MAX_HELPER_CONTAINERS exist at a time, and every preview is still answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HELPER_CONTAINERS, readImageFileHead } from '../../electron/core/project/file-content.ts';
import { importImageFromEntries, removeImages } from '../support/engine.ts';
import { engine } from './harness.ts';

const IMAGE = `stagescope-test/preview-cap:${process.pid}`;
let imageId = '';

beforeAll(async () => {
  // Content of its own, so no other test's containers share this image's id.
  imageId = await importImageFromEntries(IMAGE, [{ name: 'note.txt', content: `cap ${process.pid} ${Date.now()}\n` }]);
});
afterAll(async () => {
  await removeImages([IMAGE]);
});

describe('preview helper containers', () => {
  it(`40 previews at once: never more than ${MAX_HELPER_CONTAINERS} helper containers, every preview answered`, async () => {
    const { docker } = await engine();
    let most = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const list = await docker.listContainers({ all: true, filters: { ancestor: [imageId] } });
        most = Math.max(most, list.length);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const heads = await Promise.all(Array.from({ length: 40 }, () => readImageFileHead(docker, imageId, '/note.txt', 1024)));
    polling = false;
    await poll;
    for (const h of heads) expect(h.bytes.toString()).toMatch(/^cap /);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX_HELPER_CONTAINERS);
    expect(await docker.listContainers({ all: true, filters: { ancestor: [imageId] } })).toEqual([]);
  });
});
