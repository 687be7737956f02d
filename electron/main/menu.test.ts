import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './menu.ts';

describe('menu', () => {
  it('offers Open Folder…, the recent projects and Quit; View only in development', () => {
    const openFolder = vi.fn();
    const openRecent = vi.fn();
    const template = menuTemplate(['/home/u/app', '/srv/api'], { openFolder, openRecent, isDev: false, isMac: false });
    const file = template.find((m) => m.label === 'File')!.submenu as any[];
    expect(file[0].label).toBe('Open Folder…');
    file[0].click();
    expect(openFolder).toHaveBeenCalled();
    const recent = file.find((i) => i.label === 'Open Recent').submenu;
    expect(recent.map((i: any) => i.label)).toEqual(['app — /home/u/app', 'api — /srv/api']);
    recent[1].click();
    expect(openRecent).toHaveBeenCalledWith('/srv/api');
    expect(file.at(-1).role).toBe('quit');
    expect(template.some((m) => m.label === 'View')).toBe(false);
    const dev = menuTemplate([], { openFolder, openRecent, isDev: true, isMac: false });
    expect(dev.find((m) => m.label === 'View')!.submenu).toEqual([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }]);
    expect((dev[0].submenu as any[])[1].submenu[0]).toMatchObject({ enabled: false });
  });
});
