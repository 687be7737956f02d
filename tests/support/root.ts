// Tests that need root (a private dockerd, running a check as another user) fail with one
// sentence when run by another user: never a skip, never a confusing failure further down.
export function requireRoot(why: string): void {
  if (process.getuid?.() === 0) return;
  throw new Error(`This test needs root: ${why}. Run it as root (as .ci/run does), e.g. \`sudo npm test\`.`);
}
