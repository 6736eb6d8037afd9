#!/usr/bin/env node
// The `workbench` command. Runs the TypeScript CLI through tsx, so it works straight from a clone after npm install.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
