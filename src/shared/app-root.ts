import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project directory, for the files the back end reads at run time (migrations, the built
 * back office, the storefront stylesheet). This module sits two levels below it: in `src/shared`
 * when run from source (tests), in `dist/server-…/` when run from the bundle `bin/clientele.mjs`
 * builds.
 */
export const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
