/**
 * "Start at login" on Linux, where Electron's `setLoginItemSettings` does nothing: an XDG
 * autostart entry (`~/.config/autostart/pipewatch.desktop`), which GNOME, KDE, Xfce and most
 * other desktops run at login. macOS and Windows use Electron's login items instead.
 */

/** Where the entry goes: `$XDG_CONFIG_HOME/autostart`, else `~/.config/autostart`. */
export function autostartFolder(env: NodeJS.ProcessEnv, home: string): string {
  const base = env['XDG_CONFIG_HOME'] || `${home}/.config`;
  return `${base}/autostart`;
}

export const AUTOSTART_FILE_NAME = 'pipewatch.desktop';

/** Quotes an argument for a desktop entry's Exec line (the spec's rules: double quotes, escapes). */
function quoteExecArgument(argument: string): string {
  if (/^[A-Za-z0-9_./-]+$/.test(argument)) return argument;
  return `"${argument.replace(/[\\"`$]/g, (character) => `\\${character}`)}"`;
}

/** The desktop entry that starts Pipewatch hidden in the tray at login. */
export function autostartEntry(command: readonly string[]): string {
  const exec = command.map(quoteExecArgument).join(' ').replace(/%/g, '%%');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Pipewatch',
    'Comment=Watch delivery pipelines and approve releases',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The argument that marks a launch at login: start with the window hidden (tray only). */
export const HIDDEN_AT_LOGIN_ARGUMENT = '--hidden';
