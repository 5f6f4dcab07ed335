// Starts the pinned Azurite (see package.json) for local runs and tests, and ends it when the
// process that started us goes away: the parent holds our stdin open, so its end (normal exit,
// crash or kill -9) closes the pipe and we stop Azurite with it. No orphans either way.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => { child.kill('SIGKILL'); process.exit(code); }, 3000).unref();
}

child.on('exit', (code) => process.exit(code ?? 0));
process.stdin.on('end', () => stop(0));
process.stdin.on('close', () => stop(0));
process.stdin.resume();
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
