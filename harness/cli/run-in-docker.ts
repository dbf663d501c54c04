#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { main, runInDockerProgram } from './program.js';

process.exitCode = await main(runInDockerProgram, process.argv.slice(2), processIo);
