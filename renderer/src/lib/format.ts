// The views format numbers exactly as the CLI does: one implementation, in shared/.
export {
  formatBytes,
  formatCount,
  formatDelta,
  formatDuration,
  formatMode,
  formatPercent,
  formatSaving,
  plural,
  stageLabel,
} from '../../../shared/format.ts';
