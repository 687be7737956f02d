// GET /download?stage=N&path=/abs (or image=<opened image>&path=): the browser's "extract a
// file". The file streams out of the image; the page's download manager decides where it lands.
import type { ServerResponse } from 'node:http';
import { requestSchemas } from '../../shared/api.ts';
import { describeError, StageScopeError } from '../../shared/errors.ts';
import type { Sides } from '../core/api/sides.ts';

/** A filename safe inside a quoted Content-Disposition value, plus its UTF-8 form. */
function disposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function serveDownload(res: ServerResponse, url: URL, sides: Sides, projectOpen: boolean): Promise<void> {
  // Number() would also take '', '0x0', '1e0' or ' 1': only plain decimal digits are a stage.
  const stageText = url.searchParams.get('stage') ?? '';
  const image = url.searchParams.get('image');
  const side = image !== null ? { image } : { stage: /^(0|[1-9]\d{0,5})$/.test(stageText) ? Number(stageText) : NaN };
  const parsed = requestSchemas['file.preview'].safeParse({ ...side, path: url.searchParams.get('path') });
  if (!parsed.success) {
    res
      .writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end('Give stage=<index> (or image=<opened image>) and path=</absolute/path>.\n');
    return;
  }
  if ('stage' in parsed.data && !projectOpen) {
    res.writeHead(409, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No project is open.\n');
    return;
  }
  try {
    const file = await sides.readFile(parsed.data, parsed.data.path);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': file.size,
      'Content-Disposition': disposition(file.name),
      'Cache-Control': 'no-store',
    });
    file.stream.on('error', () => res.destroy());
    file.stream.pipe(res);
  } catch (err) {
    const status = err instanceof StageScopeError && err.code === 'not-found' ? 404 : 500;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${describeError(err)}\n`);
  }
}
