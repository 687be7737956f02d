// The views format numbers exactly as the CLI does: one implementation, in shared/.
export {
  diffTotals,
  formatBytes,
  formatCount,
  formatDelta,
  formatDuration,
  formatMode,
  formatPercent,
  formatPercentDelta,
  formatSaving,
  plural,
  stageLabel,
} from '../../../shared/format.ts';
