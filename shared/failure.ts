// How a failed build step is named, in the CLI, the check report and the UI alike.
import type { BuildFailure } from './model.ts';

/** "stage builder", but "stage-2" rather than "stage stage-2". */
export function stageWord(label: string): string {
  return label.startsWith('stage-') ? label : `stage ${label}`;
}

/** " at line 6", or nothing when the failure is tied to no line. */
export function atLine(f: Pick<BuildFailure, 'line'>): string {
  return f.line !== null ? ` at line ${f.line}` : '';
}

/** "stage builder failed at line 6": the one label of a failed build step. */
export function failureLabel(f: Pick<BuildFailure, 'stage' | 'stageName' | 'line'>): string {
  return `${stageWord(f.stageName ?? `stage-${f.stage}`)} failed${atLine(f)}`;
}

/** The same label opening a sentence: "Stage builder failed at line 6". */
export function failureHeading(f: Pick<BuildFailure, 'stage' | 'stageName' | 'line'>): string {
  const label = failureLabel(f);
  return label.charAt(0).toUpperCase() + label.slice(1);
}
