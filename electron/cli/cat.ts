// `stagescope cat <source> </path> [-o FILE]`: one file of an image wherever it lives, through
// what the app's preview and extract use (OpenedImages): an engine image's through the engine,
// any other's from the layer that holds it in its archive, layout or registry. To stdout, or
// written to FILE as extract writes (a temporary name renamed into place).
import { once } from 'node:events';
import { saveFile } from '../core/project/save-file.ts';
import { OpenedImages } from '../core/source/opened-images.ts';
import { formatBytes } from '../../shared/format.ts';
import type { Command } from './args.ts';

export async function catCommand(command: Extract<Command, { kind: 'cat' }>, note: (text: string) => void): Promise<number> {
  const { platform, ...options } = command.source;
  const images = new OpenedImages(() => options);
  const { id } = await images.open(command.ref, platform);
  if (command.output !== null) {
    const written = await saveFile(command.output, () => images.readFile(id, command.path));
    note(`Wrote ${formatBytes(written.bytes)} to ${written.path}`);
    return 0;
  }
  const file = await images.readFile(id, command.path);
  for await (const chunk of file.stream as AsyncIterable<Buffer>) {
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
  return 0;
}
