// The preview of measurement (7) in a process of its own, so the memory figure is the
// preview's: the highest RSS sampled during the read minus the RSS before it, with the engine
// connection and modules already loaded (maxRSS would include the start-up's own peak).
// Prints one JSON line. Usage: node --import tsx bench/preview-child.ts <image> <path>
import { performance } from 'node:perf_hooks';
import { connectEngine } from '../electron/core/docker/connection.ts';
import { readImageFileHead } from '../electron/core/project/file-content.ts';
import { TEXT_PREVIEW_LIMIT } from '../electron/core/project/preview.ts';

const [image, path] = process.argv.slice(2);
const conn = await connectEngine();
const before = process.memoryUsage.rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
const t0 = performance.now();
const head = await readImageFileHead(conn.docker, image, path, TEXT_PREVIEW_LIMIT);
const ms = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
const figures = { ms, rssGrowthMB: (peak - before) / 2 ** 20, bytes: head.bytes.length, size: head.size };
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
