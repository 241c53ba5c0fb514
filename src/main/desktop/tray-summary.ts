import type { InboxItem, PipelineSummary } from '../../shared/model';
import type { Status } from '../../shared/status';

/**
 * What the tray (menu-bar) icon and its menu say, from the dashboard's pipelines and the
 * approvals inbox. Pure, so that `tray.ts` stays wiring and every rule here is tested.
 */

/** The icon's colour: one word for everything Pipewatch watches. */
export type TrayState = 'waiting' | 'failed' | 'running' | 'success' | 'idle';

export interface TrayMenuEntry {
  label: string;
  /** The hash route it opens. */
  route: string;
}

export interface TraySummary {
  state: TrayState;
  tooltip: string;
  /** Shown beside the icon on macOS: the number of gates waiting, or nothing. */
  title: string;
  waitingGates: number;
  pipelines: TrayMenuEntry[];
  gates: TrayMenuEntry[];
}

/** The icon colours (RGB) per state: the status colours of the renderer's theme. */
export const TRAY_COLOURS: Readonly<Record<TrayState, readonly [number, number, number]>> = {
  waiting: [0xd4, 0xa7, 0x2c],
  failed: [0xd1, 0x24, 0x2f],
  running: [0x09, 0x69, 0xda],
  success: [0x1f, 0x88, 0x3d],
  idle: [0x8c, 0x95, 0x9f],
};

const MENU_LIMIT = 15;

const WORDS: Record<Status, string> = {
  queued: 'queued',
  running: 'running',
  success: 'passed',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
  waiting: 'waiting for approval',
  blocked: 'blocked',
  unknown: 'unknown',
};

function latest(pipeline: PipelineSummary) {
  return pipeline.recentBuilds[0] ?? null;
}

/**
 * The aggregate: a gate waiting for a person comes first (it is what Pipewatch is for), then any
 * pipeline whose latest build failed, then anything running, then green.
 */
export function trayState(pipelines: readonly PipelineSummary[], waitingGates: number): TrayState {
  const statuses = pipelines.map((pipeline) => latest(pipeline)?.status ?? 'unknown');
  if (waitingGates > 0 || statuses.includes('waiting')) return 'waiting';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.some((status) => status === 'running' || status === 'queued')) return 'running';
  if (statuses.includes('success')) return 'success';
  return 'idle';
}

function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The tray's state, words and menu entries. */
export function summarizeForTray(
  pipelines: readonly PipelineSummary[],
  inbox: readonly InboxItem[],
): TraySummary {
  const waitingGates = inbox.length;
  const state = trayState(pipelines, waitingGates);
  const failing = pipelines.filter((pipeline) => latest(pipeline)?.status === 'failed').length;
  const running = pipelines.filter((pipeline) => {
    const status = latest(pipeline)?.status;
    return status === 'running' || status === 'queued';
  }).length;
  const parts = [
    waitingGates > 0 ? `${counted(waitingGates, 'gate', 'gates')} waiting for approval` : null,
    failing > 0 ? `${counted(failing, 'pipeline', 'pipelines')} failing` : null,
    running > 0 ? `${running} running` : null,
  ].filter((part): part is string => part !== null);
  const tooltip =
    parts.length > 0
      ? `Pipewatch — ${parts.join(' · ')}`
      : pipelines.length === 0
        ? 'Pipewatch — no pipelines yet'
        : 'Pipewatch — all green';

  const pipelineEntries = pipelines.slice(0, MENU_LIMIT).map((pipeline) => {
    const build = latest(pipeline);
    return build === null
      ? { label: `${pipeline.name} — no builds yet`, route: `#/pipelines/${pipeline.id}` }
      : {
          label: `${pipeline.name} — #${build.number} ${WORDS[build.status]}`,
          route: `#/pipelines/${pipeline.id}/builds/${build.id}`,
        };
  });
  const gateEntries = inbox.slice(0, MENU_LIMIT).map((item) => ({
    label: `${item.pipeline.name} #${item.build.number} — ${item.gate.environment ?? item.gate.name}`,
    route: `#/pipelines/${item.pipeline.id}/builds/${item.build.id}`,
  }));
  return {
    state,
    tooltip,
    title: waitingGates > 0 ? String(waitingGates) : '',
    waitingGates,
    pipelines: pipelineEntries,
    gates: gateEntries,
  };
}

/** The icon: a rounded square in the state's colour with two white dots, as BGRA pixels. */
export function trayIconBitmap(size: number, state: TrayState): Buffer {
  const [red, green, blue] = TRAY_COLOURS[state];
  const pixels = Buffer.alloc(size * size * 4);
  const radius = size * 0.22;
  const dotRadius = size * 0.12;
  const dots = [
    { x: size * 0.32, y: size / 2 },
    { x: size * 0.68, y: size / 2 },
  ];
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const centreX = x + 0.5;
      const centreY = y + 0.5;
      const nearestX = Math.min(Math.max(centreX, radius), size - radius);
      const nearestY = Math.min(Math.max(centreY, radius), size - radius);
      if (Math.hypot(centreX - nearestX, centreY - nearestY) > radius) continue;
      const onDot = dots.some((dot) => Math.hypot(centreX - dot.x, centreY - dot.y) <= dotRadius);
      const offset = (y * size + x) * 4;
      pixels[offset] = onDot ? 0xff : blue;
      pixels[offset + 1] = onDot ? 0xff : green;
      pixels[offset + 2] = onDot ? 0xff : red;
      pixels[offset + 3] = 0xff;
    }
  }
  return pixels;
}
