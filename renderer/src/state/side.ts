// What the Stage view shows and a Diff side is: a stage of the project (its index) or an image
// opened by reference (its handle, a string): the engine answers both the same way.
export type Side = number | string;

/** The request form of a side: `{ stage }` or `{ image }`. */
export function sideArgs(side: Side): { stage: number } | { image: string } {
  return typeof side === 'number' ? { stage: side } : { image: side };
}
