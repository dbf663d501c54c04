#!/usr/bin/env node
import { ignoreClosedPipes, processIo } from './cli-io.js';
import { main, oomHarnessProgram } from './program.js';

ignoreClosedPipes();
process.exitCode = await main(oomHarnessProgram, process.argv.slice(2), processIo);
