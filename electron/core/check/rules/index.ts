// The measured rules by id, with their default severity.
import type { MeasuredRule, Severity } from '../../../../shared/check.ts';
import type { CheckContext, Finding } from '../context.ts';
import { packageCachesInFinal } from './caches.ts';
import { duplicateContent } from './duplicates.ts';
import { hiddenByRm } from './hidden.ts';
import { secretsInLayers } from './secrets.ts';
import { toolchainInFinal } from './toolchain.ts';
import { unusedStage } from './unused.ts';
import { wholeStageCopy } from './whole-copy.ts';

export interface RuleSpec {
  run: (ctx: CheckContext, notes: string[]) => Finding[] | Promise<Finding[]>;
  defaultSeverity: Severity;
  /** What a passing result says. */
  passMessage: string;
  /** Short description (SARIF rule metadata, the UI). */
  title: string;
}

export const RULES: Record<MeasuredRule, RuleSpec> = {
  'package-caches-in-final': {
    run: packageCachesInFinal,
    defaultSeverity: 'warn',
    title: 'Package manager and build caches shipped in the final image',
    passMessage: 'No package manager or build cache in the final image.',
  },
  'hidden-by-rm': {
    run: hiddenByRm,
    defaultSeverity: 'warn',
    title: 'Bytes removed by a later layer still ship in the image',
    passMessage: 'No layer removes bytes an earlier layer wrote.',
  },
  'secrets-in-layers': {
    run: secretsInLayers,
    defaultSeverity: 'warn',
    title: 'Private keys, .env and credential files in a layer of the final image',
    passMessage: 'No private key, .env or credential file in any layer of the final image.',
  },
  'toolchain-in-final': {
    run: toolchainInFinal,
    defaultSeverity: 'warn',
    title: 'Compilers, headers and build tools in the final image',
    passMessage: 'No compiler, header or build tool in the final image.',
  },
  'whole-stage-copy': {
    run: wholeStageCopy,
    defaultSeverity: 'warn',
    title: 'COPY --from of a whole stage (/ or more than 90 % of its bytes)',
    passMessage: 'No COPY --from takes a whole stage.',
  },
  'duplicate-content': {
    run: duplicateContent,
    defaultSeverity: 'warn',
    title: 'The same content above 1 MB shipped twice',
    passMessage: 'No content above 1 MB ships twice.',
  },
  'unused-stage': {
    run: unusedStage,
    defaultSeverity: 'info',
    title: 'A stage no target needs',
    passMessage: 'Every stage is needed by a target or another stage.',
  },
};
