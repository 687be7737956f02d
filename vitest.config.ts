import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One `vitest run` runs every test: unit tests beside their files, integration tests against
// the real Docker Engine, component tests in jsdom and e2e tests in Debian's Chromium.
// Groups run one after the other (unit + component, then integration, then e2e): engine tests
// of different projects must not overlap (e.g. `stagescope prune` removes what StageScope
// built, and two cores are enough for one engine-heavy file at a time).
export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts'],
          // Tests beside their file that need the real engine (builds, sleeps of 22-60 s) run
          // with the integration project, never in parallel with the jsdom tests.
          exclude: ['**/node_modules/**', '**/*.engine.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts', 'electron/**/*.engine.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // The engine builds one thing at a time well on two cores.
          fileParallelism: false,
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'component',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
