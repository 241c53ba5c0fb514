/**
 * The main window's size and position, remembered across launches in a small JSON file in the
 * user-data folder. Pure rules: parse what was saved (anything odd means "use the defaults") and
 * fit it to the displays there are now, so a window saved on a monitor that was unplugged opens
 * on one that exists.
 */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Null: let the system place it (centred). */
  bounds: Rectangle | null;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: null, maximized: false };
export const DEFAULT_SIZE = { width: 1400, height: 900 };
export const MINIMUM_SIZE = { width: 800, height: 500 };
/** How much of the title bar must be on a display for the window to count as reachable. */
const VISIBLE_MARGIN = 64;

function isRectangle(value: unknown): value is Rectangle {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every(
    (key) => typeof candidate[key] === 'number' && Number.isFinite(candidate[key]),
  );
}

/** The saved state, or the defaults for a missing, corrupt or foreign file. */
export function parseWindowState(text: string | null): WindowState {
  if (text === null) return DEFAULT_WINDOW_STATE;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  if (typeof json !== 'object' || json === null) return DEFAULT_WINDOW_STATE;
  const { bounds, maximized } = json as Record<string, unknown>;
  return {
    bounds: isRectangle(bounds) ? bounds : null,
    maximized: maximized === true,
  };
}

/** The file's text for a state. */
export function formatWindowState(state: WindowState): string {
  return `${JSON.stringify(state)}\n`;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: the saved bounds if their title bar is on some display (size capped
 * to that display), else the default size centred by the system (null bounds).
 */
export function fitWindowState(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  const saved = state.bounds;
  if (saved === null) return state;
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
  const display = workAreas.find((area) => {
    const shared = overlap(titleBar, area);
    return shared.width >= Math.min(VISIBLE_MARGIN, saved.width) && shared.height > 0;
  });
  if (display === undefined) return { ...state, bounds: null };
  const width = Math.max(MINIMUM_SIZE.width, Math.min(Math.round(saved.width), display.width));
  const height = Math.max(MINIMUM_SIZE.height, Math.min(Math.round(saved.height), display.height));
  return { ...state, bounds: { x: Math.round(saved.x), y: Math.round(saved.y), width, height } };
}
