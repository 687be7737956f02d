// Images without a single layer: a bare `FROM scratch` stage, or one that only sets metadata
// (ENV, LABEL, CMD). The engine cannot `docker save` them ("empty export - not implemented",
// HTTP 500, also when they are named together with other images), yet they are valid images
// with an empty tree. Their record is made from `inspect` and `history`, without an export.
import type Dockerode from 'dockerode';
import type { HistoryEntry, ImageConfig, ImageRecord } from '../image/types.ts';
import { engineCallError } from './images.ts';

interface RawInspect {
  Id: string;
  RepoTags?: string[] | null;
  Architecture?: string;
  Os?: string;
  Config?: ImageConfig['config'] | null;
  RootFS?: { Type?: string; Layers?: string[] | null } | null;
}

interface RawHistory {
  CreatedBy?: string;
  Comment?: string;
  Created?: number;
}

/**
 * Splits image ids into those with layers (to export) and the layer-less ones, returned as
 * complete records with an empty layer list.
 */
export async function splitLayerless(docker: Dockerode, ids: string[]): Promise<{ withLayers: string[]; layerless: ImageRecord[] }> {
  const withLayers: string[] = [];
  const layerless: ImageRecord[] = [];
  for (const id of ids) {
    let raw: RawInspect;
    try {
      raw = (await docker.getImage(id).inspect()) as unknown as RawInspect;
    } catch (err) {
      throw engineCallError(err, `inspecting ${id}`);
    }
    if ((raw.RootFS?.Layers ?? []).length > 0) {
      withLayers.push(id);
      continue;
    }
    let history: RawHistory[];
    try {
      history = (await docker.getImage(id).history()) as RawHistory[];
    } catch (err) {
      throw engineCallError(err, `reading the history of ${id}`);
    }
    layerless.push({
      id: raw.Id,
      repoTags: raw.RepoTags ?? [],
      config: {
        architecture: raw.Architecture,
        os: raw.Os,
        config: raw.Config ?? undefined,
        rootfs: { type: raw.RootFS?.Type ?? 'layers', diff_ids: [] },
        // The API lists history newest first; a config lists it oldest first.
        history: history
          .slice()
          .reverse()
          .map((h): HistoryEntry => ({
            created_by: h.CreatedBy ?? '',
            comment: h.Comment || undefined,
            empty_layer: true,
            created: h.Created ? new Date(h.Created * 1000).toISOString() : undefined,
          })),
      },
      layers: [],
    });
  }
  return { withLayers, layerless };
}
