#!/usr/bin/env node
// `npm run bench`: the performance benchmark of issue 4 (bench/main.ts), run through tsx like
// the `stagescope` command, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
process.exitCode = await main(process.argv.slice(2));
