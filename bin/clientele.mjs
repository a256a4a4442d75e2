#!/usr/bin/env node
// The `clientele` command. TypeScript sources run through tsx's loader, so the server, worker
// and CLI are one code base with no separate compile step for the back end.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
