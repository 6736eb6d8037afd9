#!/usr/bin/env node
// `npm run dev:web`: the HTTP host (src/host) through tsx, so it runs straight from a clone after npm install.
import { register } from 'tsx/esm/api';

register();
await import('../src/host/main.ts');
