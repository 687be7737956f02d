// The checks of an open project (the app's Checks view): the project's .stagescope.yml (in
// the project folder, else beside the Dockerfile), or the defaults, on the last analysis.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CheckReport } from '../../../shared/check.ts';
import type { Connection } from '../docker/connection.ts';
import type { Analysis } from '../project/analyze.ts';
import { buildkitChecks } from './buildkit.ts';
import { DEFAULT_CONFIG, loadConfig } from './config.ts';
import { evaluateChecks } from './evaluate.ts';
import { engineHeadReader } from './layer-heads.ts';

export const CONFIG_NAME = '.stagescope.yml';

async function findConfig(root: string, dockerfile: string): Promise<string | null> {
  for (const dir of [root, dirname(dockerfile)]) {
    const path = join(dir, CONFIG_NAME);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return null;
}

export async function checkProject(root: string, analysis: Analysis, conn: Connection): Promise<CheckReport> {
  const dockerfile = analysis.report.dockerfile;
  const path = await findConfig(root, dockerfile);
  const config = path ? await loadConfig(path, false) : DEFAULT_CONFIG;
  const buildkit = await buildkitChecks(dockerfile, dirname(dockerfile));
  return evaluateChecks({ analysis, config, projectDir: root, readHeads: engineHeadReader(conn.docker), buildkit });
}
