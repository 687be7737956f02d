// What every `COPY --from` / `ADD --from` of the built stages pulled: the layer it made, its
// source (a stage or an external image), and each file with its size and whether it is
// byte-identical to the source file.
import type { CopyRecord, DockerfileModel } from '../../../shared/model.ts';
import { attributeCopy } from '../image/copies.ts';
import type { AnalyzedImage } from './stage-analysis.ts';
import { workdirAt } from '../dockerfile/workdir.ts';

function inheritedWorkdir(a: AnalyzedImage | undefined): string {
  return a?.image.config.config?.WorkingDir || '/';
}

export function attributeCopies(
  model: DockerfileModel,
  stages: Map<number, AnalyzedImage>,
  externals: Map<string, AnalyzedImage>,
): CopyRecord[] {
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
      layer: layerAt >= 0 ? { index: layerAt, diffId: dest.layers[layerAt].diffId } : null,
      files: [],
      bytes: 0,
    };
    if (args && source && layerAt >= 0) {
      const baseWorkdir =
        stage.base.kind === 'stage' && stage.base.stage !== undefined ? inheritedWorkdir(stages.get(stage.base.stage)) : '/';
      record.files = attributeCopy({
        destTree: dest.tree,
        destLayer: dest.layers[layerAt],
        sourceTree: source.tree,
        srcPaths: args.sources,
        dest: args.dest,
        workdir: workdirAt(stage, edge.line, baseWorkdir),
      });
      record.bytes = record.files.reduce((sum, f) => sum + f.size, 0);
    }
    records.push(record);
  }
  return records;
}
