// Paths as a bundle may show them: relative to the working directory when below it, else with the home
// directory written as ~, so a bundle attached to a public issue does not carry a user's home path.
import { homedir } from 'node:os';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

function isUnder(path: string, root: string): boolean {
  return root !== '' && root !== sep && (path === root || path.startsWith(`${root}${sep}`));
}

export function displayPath(path: string, cwd = process.cwd(), home = homedir()): string {
  const absolute = resolve(cwd, path);
  if (isUnder(absolute, cwd)) return relative(cwd, absolute) || '.';
  if (isUnder(absolute, home)) return `~${absolute.slice(home.length)}`;
  return absolute;
}

/**
 * The command line for the manifest and README.txt: the input by file name only, every other absolute path shown
 * as displayPath shows it (also in --flag=value form).
 */
export function displayCommand(name: string, args: readonly string[], inputPath: string | null, cwd = process.cwd(), home = homedir()): string {
  const input = inputPath === null ? null : resolve(cwd, inputPath);
  const show = (token: string) => {
    if (input !== null && token !== '' && resolve(cwd, token) === input) return basename(input);
    return isAbsolute(token) ? displayPath(token, cwd, home) : token;
  };
  const shown = args.map((arg) => {
    const flag = /^(--[\w-]+=)(.*)$/s.exec(arg);
    return flag ? `${flag[1]}${show(flag[2]!)}` : show(arg);
  });
  return [name, ...shown].join(' ');
}

/** Arguments as a shell would take them back: plain words as they are, anything else in single quotes. */
export function shellWords(args: readonly string[]): string {
  return args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}
