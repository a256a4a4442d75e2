#!/usr/bin/env node
// The `clientele` command. The TypeScript back end runs as one JavaScript bundle that esbuild
// makes from src/ the first time the command runs after a change of the sources (a fraction of a
// second), in dist/server-<fingerprint>/. A process therefore carries no TypeScript loader:
// a worker at rest needs about 90 MB less memory than it did running src/ through tsx
// (docs/benchmarks.md), and starts faster. Tests import src/ directly.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Garbage collection sized for a worker's memory, not only its speed (docs/benchmarks.md). An
// import keeps ~45 MB alive but allocates a few kilobytes a row, nearly all short-lived; V8's
// defaults let the old generation grow to ~4× the live data before collecting (up to 195 MB) and
// double the young generation, so a worker's peak RSS was 305–344 MB. Growing the old generation
// by at most 2× and keeping the young generation at its first size: 180 MB at 100,000 rows, at
// no difference in import time beyond the run-to-run noise. Both values are read by V8 whenever
// it sizes the heap, so setting them here, before any work starts, takes effect.
// Starting a worker thread resets them in this thread, so the validation thread's starter
// (src/imports/validation-thread.ts) sets them again from CLIENTELE_HEAP_FLAGS.
process.env.CLIENTELE_HEAP_FLAGS = '--semi-space-growth-factor=1 --heap-growing-percent=100';
for (const flag of process.env.CLIENTELE_HEAP_FLAGS.split(' ')) v8.setFlagsFromString(flag);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src');

/** Names, sizes and modification times of the back end's sources and this launcher: a change of any gives a new bundle. */
function sourceFingerprint() {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const { size, mtimeMs } = statSync(file);
        hash.update(`${path.relative(sourceDir, file)}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  visit(sourceDir);
  // This file too: it says how the bundle is built.
  const launcher = statSync(fileURLToPath(import.meta.url));
  hash.update(`launcher\0${launcher.size}\0${launcher.mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** JSON data from packages (country names) goes into the bundle: Node would want an import attribute that esbuild drops. */
const jsonFromPackages = {
  name: 'json-from-packages',
  setup(build) {
    const require = createRequire(path.join(root, 'package.json'));
    build.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: require.resolve(args.path) }));
  },
};

/**
 * Bundles of earlier sources, a day after they were made: every process loads its chunks while
 * it starts, so one that has run for a day no longer needs its directory.
 */
function removeOldBundles() {
  const distDir = path.join(root, 'dist');
  for (const name of readdirSync(distDir)) {
    const dir = path.join(distDir, name);
    if (name.startsWith('server-') && dir !== bundleDir && Date.now() - statSync(dir).mtimeMs > 86_400_000) rmSync(dir, { recursive: true, force: true });
  }
}

// Two levels below the project, like src/shared/app-root.ts, which finds the project from there.
const bundleDir = path.join(root, 'dist', `server-${sourceFingerprint()}`);
const entry = path.join(bundleDir, 'cli.js');
if (!existsSync(entry)) {
  const esbuild = await import('esbuild');
  // Built aside and renamed into place: processes starting at once never load half a bundle.
  const partialDir = `${bundleDir}.partial-${process.pid}`;
  try {
    await esbuild.build({
      absWorkingDir: root,
      // The validation thread's entry sits beside the chunks (src/imports/validation-thread.ts finds it there).
      entryPoints: { cli: 'src/main/cli.ts', 'validation-worker': 'src/imports/validation-worker.ts' },
      outdir: partialDir,
      bundle: true,
      // The server, the demo data and the metrics endpoint stay separate chunks, loaded only by the
      // commands that use them (a worker never loads Fastify).
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'error',
      plugins: [jsonFromPackages],
    });
    renameSync(partialDir, bundleDir);
    removeOldBundles();
  } catch (error) {
    rmSync(partialDir, { recursive: true, force: true });
    // Another process finished the same bundle first.
    if (!existsSync(entry)) throw error;
  } finally {
    await esbuild.stop();
  }
}
// Stack traces name the TypeScript sources, except in production: parsed source maps stay in
// memory (~20 MB for a worker); the .map files next to the bundle still translate a logged trace.
if (process.env.NODE_ENV !== 'production') process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
