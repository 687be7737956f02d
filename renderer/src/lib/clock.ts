// Wall-clock times the views name a build by ("the build at 10:42"): 24-hour, local time.
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
