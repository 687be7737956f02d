// The command's entry point. `--version` and `--help` answer from this small module alone; every
// other command loads the engine (dockerode, protobufjs, zod, ...) on demand, so asking the
// command what it is never pays for what it does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP, parseCommand, type Command } from './args.ts';

function quickCommand(argv: string[]): Command | null {
  try {
    const command = parseCommand(argv);
    return command.kind === 'help' || command.kind === 'version' ? command : null;
  } catch {
    return null; // bad usage: main() prints the one-sentence error and exits 2
  }
}

export async function entry(argv: string[]): Promise<number> {
  const quick = quickCommand(argv);
  if (quick?.kind === 'help') {
    process.stdout.write(`${HELP[quick.topic ?? ''] ?? HELP['']}\n`);
    return 0;
  }
  if (quick?.kind === 'version') {
    // electron/cli/ and out/cli/ both sit two levels below the package root.
    const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const { main } = await import('./main.ts');
  return main(argv);
}
