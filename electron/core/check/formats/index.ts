// Every output format of `stagescope check`, by name.
import type { CheckReport } from '../../../../shared/check.ts';
import { checkGithub } from './github.ts';
import { checkJunit } from './junit.ts';
import { checkMarkdown } from './markdown.ts';
import { checkSarif } from './sarif.ts';

import type { CheckFormat } from './names.ts';
export { FORMATS, type CheckFormat } from './names.ts';

/** The machine formats; `text` is the terminal's (electron/cli/check-text.ts). */
export function formatCheck(report: CheckReport, format: Exclude<CheckFormat, 'text'>, opts: { version?: string } = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'markdown':
      return checkMarkdown(report);
    case 'junit':
      return checkJunit(report);
    case 'sarif':
      return checkSarif(report, opts.version ?? '0.0.0');
    case 'github':
      return checkGithub(report);
  }
}

export { checkMarkdown };
