#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { main, oomHarnessProgram } from './program.js';

process.exitCode = await main(oomHarnessProgram, process.argv.slice(2), processIo);
