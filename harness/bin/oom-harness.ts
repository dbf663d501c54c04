#!/usr/bin/env node
import { ignoreClosedPipes, processIo } from '../cli/cli-io.js';
import { main } from '../cli/main.js';
import { oomHarnessProgram } from '../cli/commands/program.js';

ignoreClosedPipes();
process.exitCode = await main(oomHarnessProgram, process.argv.slice(2), processIo);
