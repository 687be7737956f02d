// The Dockerfile model's public surface.
export { parseDockerfile, readDockerfile, type ParseOptions } from './parse.ts';
export { planTarget, resolveStage, dependencyClosure } from './plan.ts';
export { stageLabel } from '../../../shared/format.ts';
export { stripSyntaxDirective } from './directives.ts';
export { matchHistoryToInstructions, historyKeyword } from './history.ts';
export { expandVariables } from './expand.ts';
export { hostPlatform } from './platform.ts';
