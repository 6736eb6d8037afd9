// Imported first by every renderer module that loads the schemas, before any schema is built: the CSP forbids eval,
// so zod must never try to compile its validators with new Function (it would probe for eval while building the
// first object schema).
import { z } from 'zod';

z.config({ jitless: true });
