// What every `COPY --from` / `ADD --from` of the built stages pulled: the layer it made, its
// source (a stage or an external image), and each file with its size and whether it is
// byte-identical to the source file. Attributions are cached beside the layer cache: walking
// the source tree is what would make a re-analysis build every large tree again.
import type { CopiedFile, CopyRecord, DockerfileModel } from '../../../shared/model.ts';
import { attributeCopy, resolvePath } from '../image/copies.ts';
import type { LayerCache } from '../image/cache/index.ts';
import type { AnalyzedImage } from './stage-analysis.ts';
import { workdirAt } from '../dockerfile/workdir.ts';

function inheritedWorkdir(a: AnalyzedImage | undefined): string {
  return a?.image.config.config?.WorkingDir || '/';
}

function isCopiedFiles(v: unknown): v is CopiedFile[] {
  return (
    Array.isArray(v) &&
    v.every(
      (f: CopiedFile) =>
        typeof f?.path === 'string' &&
        (f.sourcePath === null || typeof f.sourcePath === 'string') &&
        typeof f.sourceResolved === 'boolean' &&
        typeof f.identical === 'boolean' &&
        typeof f.size === 'number',
    )
  );
}

interface CopyInput {
  dest: AnalyzedImage;
  /** Which of the destination's layers the COPY made. */
  layerAt: number;
  source: AnalyzedImage;
  srcPaths: string[];
  destPath: string;
  workdir: string;
}

/**
 * The files of one COPY, from the cache when possible. Its result depends on the source image,
 * the arguments, the layer the COPY made and whether the destination path is a directory in
 * the destination tree. The first key (destination image id) needs no tree at all; the second
 * (the layer and that one lookup) still hits when only a later instruction of the destination
 * changed, so the large source trees are not built again for it.
 */
async function copiedFiles(c: CopyInput, cache: LayerCache | null): Promise<CopiedFile[]> {
  const common = { source: c.source.imageId, src: c.srcPaths, dest: c.destPath, workdir: c.workdir };
  const byImage = JSON.stringify({ ...common, image: c.dest.imageId, layer: c.layerAt });
  const hit = await cache?.getResult('copy', byImage, isCopiedFiles);
  if (hit) return hit;
  const destIsDir = c.dest.tree.get(resolvePath(c.destPath, c.workdir))?.type === 'dir';
  const byLayer = JSON.stringify({ ...common, layer: c.dest.image.layers[c.layerAt], destIsDir });
  let files = await cache?.getResult('copy', byLayer, isCopiedFiles);
  if (!files) {
    files = attributeCopy({
      destTree: c.dest.tree,
      destLayer: c.dest.layers[c.layerAt],
      sourceTree: c.source.tree,
      srcPaths: c.srcPaths,
      dest: c.destPath,
      workdir: c.workdir,
    });
    await cache?.putResult('copy', byLayer, files);
  }
  await cache?.putResult('copy', byImage, files);
  return files;
}

export async function attributeCopies(
  model: DockerfileModel,
  stages: Map<number, AnalyzedImage>,
  externals: Map<string, AnalyzedImage>,
  cache: LayerCache | null = null,
): Promise<CopyRecord[]> {
  const records: CopyRecord[] = [];
  for (const edge of model.edges) {
    if (edge.kind !== 'copy') continue;
    const dest = stages.get(edge.to);
    if (!dest) continue;
    const stage = model.stages[edge.to];
    const instruction = stage.instructions.find((i) => i.line === edge.line);
    if (!instruction) continue;
    // Sources and destination come parsed and expanded from the model; a heredoc is no path.
    const words = instruction.args ?? [];
    const args =
      words.length >= 2 ? { sources: words.slice(0, -1).filter((w) => !w.startsWith('<<')), dest: words[words.length - 1] } : null;
    const source = edge.from.kind === 'stage' ? stages.get(edge.from.stage) : externals.get(edge.from.ref);
    const from: CopyRecord['from'] =
      edge.from.kind === 'stage'
        ? { kind: 'stage', ref: model.stages[edge.from.stage].name ?? String(edge.from.stage), stage: edge.from.stage }
        : { kind: 'image', ref: edge.from.ref };
    const layerAt = dest.lines.lastIndexOf(edge.line);
    const record: CopyRecord = {
      stage: edge.to,
      line: edge.line,
      instruction: instruction.text,
      from,
      layer: layerAt >= 0 ? { index: layerAt, diffId: dest.image.layers[layerAt] } : null,
      files: [],
      bytes: 0,
    };
    if (args && source && layerAt >= 0) {
      const baseWorkdir =
        stage.base.kind === 'stage' && stage.base.stage !== undefined ? inheritedWorkdir(stages.get(stage.base.stage)) : '/';
      const workdir = workdirAt(stage, edge.line, baseWorkdir);
      record.files = await copiedFiles({ dest, layerAt, source, srcPaths: args.sources, destPath: args.dest, workdir }, cache);
      record.bytes = record.files.reduce((sum, f) => sum + f.size, 0);
    }
    records.push(record);
  }
  return records;
}
