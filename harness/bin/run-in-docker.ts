#!/usr/bin/env node
import { ignoreClosedPipes, processIo } from '../cli/cli-io.js';
import { main } from '../cli/main.js';
import { runInDockerProgram } from '../cli/commands/run-command.js';

ignoreClosedPipes();
process.exitCode = await main(runInDockerProgram, process.argv.slice(2), processIo);
