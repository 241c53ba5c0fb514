import { Menu, Tray, app, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Core } from './core-types';
import { summarizeForTray, trayIconBitmap, type TraySummary } from './desktop/tray-summary';

const ICON_SIZE = 16;
/** Pushed events come in bursts (a poll touches many builds); re-read at most this often. */
const REFRESH_DELAY_MS = 500;

export interface StatusTray {
  destroy(): void;
}

/**
 * The tray (menu-bar) icon: its colour is the aggregate state of every pipeline (amber while a
 * gate waits for approval, red while a pipeline's latest build failed, blue while builds run,
 * green otherwise); its menu lists the pipelines and the waiting gates and opens them; the dock /
 * launcher badge counts waiting gates. What it says is the pure `desktop/tray-summary.ts`.
 */
export function createStatusTray(options: {
  core: Core;
  /** Shows the window on a hash route (`#/inbox`, `#/pipelines/7/builds/121`). */
  openRoute(route: string): void;
  log(line: string): void;
}): StatusTray {
  const { core, openRoute } = options;
  const icon = (summary: TraySummary) =>
    nativeImage.createFromBitmap(trayIconBitmap(ICON_SIZE, summary.state), {
      width: ICON_SIZE,
      height: ICON_SIZE,
    });
  let shown: TraySummary = summarizeForTray([], []);
  const tray = new Tray(icon(shown));
  tray.on('click', () => openRoute('#/'));

  const menuFor = (summary: TraySummary): Menu => {
    const entries = (items: TraySummary['pipelines']): MenuItemConstructorOptions[] =>
      items.map((item) => ({ label: item.label, click: () => openRoute(item.route) }));
    const template: MenuItemConstructorOptions[] = [
      { label: 'Open Pipewatch', click: () => openRoute('#/') },
      { type: 'separator' },
      { label: 'Waiting for approval', enabled: false },
      ...(summary.gates.length > 0
        ? entries(summary.gates)
        : [{ label: 'Nothing waiting', enabled: false }]),
      { label: 'Open the approvals inbox', click: () => openRoute('#/inbox') },
      { type: 'separator' },
      { label: 'Pipelines', enabled: false },
      ...entries(summary.pipelines),
      { type: 'separator' },
      { label: 'Settings…', click: () => openRoute('#/settings') },
      { label: 'Quit Pipewatch', click: () => app.quit() },
    ];
    return Menu.buildFromTemplate(template);
  };

  let destroyed = false;
  const show = (summary: TraySummary): void => {
    if (destroyed) return;
    if (summary.state !== shown.state) tray.setImage(icon(summary));
    shown = summary;
    tray.setToolTip(summary.tooltip);
    tray.setTitle(summary.title);
    tray.setContextMenu(menuFor(summary));
    app.setBadgeCount(summary.waitingGates);
  };
  show(shown);

  let timer: NodeJS.Timeout | null = null;
  const refresh = (): void => {
    timer = null;
    Promise.all([core.api['pipelines/list']({ builds: 1 }), core.api['gates/inbox']({})])
      .then(([pipelines, inbox]) => show(summarizeForTray(pipelines, inbox)))
      .catch((error: unknown) => options.log(`Updating the tray failed: ${String(error)}`));
  };
  const refreshSoon = (): void => {
    timer ??= setTimeout(refresh, REFRESH_DELAY_MS);
  };

  const unsubscribe = core.subscribe((event) => {
    if (event.name === 'builds/changed' || event.name === 'gates/changed') refreshSoon();
    if (event.name === 'sources/configured') refreshSoon();
  });
  refresh();
  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      unsubscribe();
      tray.destroy();
    },
  };
}
