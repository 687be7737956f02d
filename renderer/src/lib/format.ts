// The views format numbers exactly as the CLI does: one implementation, in shared/.
export { formatBytes, formatDelta, formatDuration, formatMode, formatPercent, stageLabel } from '../../../shared/format.ts';
