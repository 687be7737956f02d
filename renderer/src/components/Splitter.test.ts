import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import Splitter from './Splitter.svelte';

afterEach(cleanup);

describe('Splitter', () => {
  it('resizes its pane from the keyboard within its limits, inverted for a pane after it', async () => {
    const sizes: number[] = [];
    const pane = document.createElement('div');
    const { rerender } = render(Splitter, {
      axis: 'x',
      pane,
      min: 100,
      max: 300,
      label: 'Resize',
      size: 200,
      onsize: (v: number) => sizes.push(v),
    });
    const bar = screen.getByRole('separator', { name: 'Resize' });
    expect(bar.getAttribute('aria-orientation')).toBe('vertical');
    expect(bar.getAttribute('aria-valuenow')).toBe('200');
    await fireEvent.keyDown(bar, { key: 'ArrowRight' });
    await fireEvent.keyDown(bar, { key: 'ArrowLeft' });
    await fireEvent.keyDown(bar, { key: 'End' });
    await fireEvent.keyDown(bar, { key: 'Home' });
    expect(sizes).toEqual([216, 184, 300, 100]);
    await rerender({ axis: 'y', pane, min: 100, max: 300, label: 'Resize', size: 290, after: true, onsize: (v: number) => sizes.push(v) });
    await fireEvent.keyDown(bar, { key: 'ArrowUp' });
    await fireEvent.keyDown(bar, { key: 'ArrowDown' });
    expect(sizes.slice(4)).toEqual([300, 274]);
  });
});
