// What every command's help ends with: examples to copy, then what each exit code means. Defaults and choices
// are shown plainly (200, not "200").
import type { Command, Help, Option } from 'commander';
import { exitCodeHelp } from '../common/verdict.js';

export function addHelpFooter(command: Command, examples: readonly string[], checkFailed?: string): Command {
  const lines = ['', 'Examples:', ...examples.map((example) => `  $ ${example}`), '', exitCodeHelp(checkFailed)];
  return command.addHelpText('after', lines.join('\n'));
}

export const plainHelp: Partial<Help> = {
  optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(`choices: ${option.argChoices.join(', ')}`);
    if (option.defaultValue !== undefined && option.defaultValue !== false) extra.push(`default: ${option.defaultValueDescription ?? String(option.defaultValue)}`);
    return extra.length > 0 ? `${option.description} (${extra.join('; ')})` : option.description;
  },
};
