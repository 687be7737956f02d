// Preloaded (`node --import ./bench/rss-on-exit.mjs …`) into a command the benchmark runs: at
// exit, writes the process' peak RSS in KiB to $STAGESCOPE_BENCH_RSS_FILE. No /usr/bin/time
// needed (CI does not install it).
import { writeFileSync } from 'node:fs';

const file = process.env.STAGESCOPE_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
