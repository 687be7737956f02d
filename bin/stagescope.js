#!/usr/bin/env node
// The `stagescope` command. It runs the TypeScript sources through tsx, so it works right after
// `npm install` with no build step; the engine it drives imports nothing from Electron.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
