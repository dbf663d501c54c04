#!/usr/bin/env node
import { ignoreClosedPipes, processIo } from '../cli/cli-io.js';
import { main, runInDockerProgram } from '../cli/commands/program.js';

ignoreClosedPipes();
process.exitCode = await main(runInDockerProgram, process.argv.slice(2), processIo);
