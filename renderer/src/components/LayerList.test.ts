import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import LayerList from './LayerList.svelte';
import { AppState } from '../state/app.svelte.ts';
import { fakeApi } from '../testing/fakeApi.ts';
import { model, report } from '../testing/fixtures.ts';
import type { LayerSummary, Report } from '../../../shared/model.ts';

afterEach(cleanup);

const layer = (index: number, line: number | null, createdBy: string, extra: Partial<LayerSummary> = {}): LayerSummary => ({
  index,
  diffId: `sha256:${String(index).repeat(64)}`,
  size: 1000,
  createdBy,
  line,
  added: 1,
  modified: 0,
  removed: 0,
  ...extra,
});

// builder (FROM stagescope-test/golang:1.24) has 2 base layers and its line 2; debug is FROM builder.
const withLayers: Report = {
  ...report,
  stages: report.stages.map((s) =>
    s.index === 0
      ? { ...s, layers: [layer(0, null, 'ADD rootfs.tar /'), layer(1, null, 'ENV GOLANG=1.24'), layer(2, 2, 'RUN go build -o /out/app .')] }
      : s.index === 1
        ? {
            ...s,
            built: true,
            image: { id: 'sha256:d', size: 5 },
            layers: [
              layer(0, null, 'ADD rootfs.tar /'),
              layer(1, null, 'ENV GOLANG=1.24'),
              layer(2, null, 'RUN go build -o /out/app .', { size: 12_345_678, added: 1_234, modified: 2, removed: 3 }),
            ],
          }
        : s,
  ),
};

function setup(stage: number) {
  const app = new AppState(fakeApi({}));
  app.model = model;
  app.setReport(withLayers);
  render(LayerList, { app, layers: withLayers.stages[stage].layers, totalBytes: withLayers.stages[stage].totalBytes, owner: { stage } });
  return app;
}

describe('LayerList', () => {
  it("names the base image's layers after the image, and own layers by their line", () => {
    setup(0);
    expect(screen.getByRole('button', { name: /stagescope-test\/golang:1\.24, layer 1\/2/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /stagescope-test\/golang:1\.24, layer 2\/2/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^L2 RUN go build/ })).toBeTruthy();
  });

  it('says which stage and line an inherited layer comes from, and shows its details', async () => {
    setup(1);
    const inherited = screen.getByRole('button', { name: /from stage builder, line 2/ });
    await fireEvent.click(inherited);
    const details = screen.getByRole('region', { name: 'Layer details' });
    const text = details.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Layer 3 of 3');
    expect(text).toContain('Origin from stage builder, line 2');
    // The full instruction as written in the Dockerfile, and what the image history says.
    expect(within(details).getAllByText('RUN go build -o /out/app .')).toHaveLength(2);
    expect(text).toContain('12.3 MB (12,345,678 bytes)');
    expect(text).toContain(`sha256:${'2'.repeat(64)}`);
    expect(text).toContain('+ 1,234 added · ~ 2 modified · − 3 removed');
    expect(screen.getByRole('button', { name: /from stage builder, stagescope-test\/golang:1\.24, layer 1\/2/ })).toBeTruthy();
  });
});
