// The tool as plain JavaScript, runnable with Node alone (no npm, no registry): for a city's internal
// network (政务内网) and for start-up (no TypeScript compiled at every run).
//
//   tsx pipeline/tools/build-dist.ts [--out build/banbao] [--tar dist]
//
// Writes <out>/: lib/cli.js and its chunks (esbuild, platform node, code split so each command loads
// only its own code), lib/assets/ (the vega builds the report page inlines, the check page's script),
// package.json (name and version), the `banbao` launcher, data/ (reference, catalogue, published,
// sample submissions), lib/node_modules/@resvg/ (the PNG renderer's prebuilt binary, for --png). With
// --tar, also <tar>/banbao-<version>.tar.gz, the same bytes for the same sources (sorted entries,
// fixed owner and dates, gzip without a name or time).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { HOME } from '../home.ts';
import { BUILDS, packageDir } from '../outputs/html.ts';
import { DIST_CHECK_SCRIPT, freshBundle } from '../outputs/check-page.ts';

const LAUNCHER = `#!/bin/sh
# banbao — 党建争强半年度数据工具. Needs only Node.js >= 20.19 (no npm): ./banbao --help
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
exec node "$here/lib/cli.js" "$@"
`;

export async function buildDist(out: string): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(HOME, 'package.json'), 'utf8')) as { name: string; version: string; engines?: unknown };
  const stage = `${out}.tmp-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, 'lib', 'assets'), { recursive: true });
  await build({
    entryPoints: { cli: path.join(HOME, 'pipeline/cli.ts') },
    absWorkingDir: HOME,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true, // `validate` does not load vega; `diff` does not load exceljs's reader twice
    outdir: path.join(stage, 'lib'),
    chunkNames: 'chunk-[hash]',
    minify: true, // less to parse at every start (about a third of validate's start-up)
    entryNames: '[name]',
    charset: 'utf8',
    legalComments: 'eof',
    define: { __BANBAO_BUNDLE__: 'true' },
    // the PNG renderer is a native addon: loaded from node_modules/@resvg next to lib/ when present
    external: ['@resvg/resvg-js', 'canvas'],
    // CommonJS packages inside an ES module bundle still call require()
    banner: { js: "import { createRequire as __banbaoRequire } from 'node:module'; const require = __banbaoRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  for (const [, name, file] of BUILDS) {
    mkdirSync(path.join(stage, 'lib', 'assets', name, path.dirname(file)), { recursive: true });
    cpSync(path.join(packageDir(name), file), path.join(stage, 'lib', 'assets', name, file));
  }
  writeFileSync(path.join(stage, 'lib', 'assets', DIST_CHECK_SCRIPT), await freshBundle());
  writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module', engines: pkg.engines, bin: { banbao: 'banbao' } }, null, 2) + '\n');
  writeFileSync(path.join(stage, 'banbao'), LAUNCHER);
  chmodSync(path.join(stage, 'banbao'), 0o755);
  cpSync(path.join(HOME, 'data'), path.join(stage, 'data'), { recursive: true });
  if (existsSync(path.join(HOME, 'README.md'))) cpSync(path.join(HOME, 'README.md'), path.join(stage, 'README.md'));
  for (const name of ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu']) {
    const dir = path.join(HOME, 'node_modules', name);
    if (existsSync(dir)) cpSync(dir, path.join(stage, 'lib', 'node_modules', name), { recursive: true });
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.dirname(out), { recursive: true });
  renameSync(stage, out);
}

/** A tar.gz of `dir` whose bytes depend only on its files (GNU tar: sorted, fixed owner and time). */
export function writeTarball(dir: string, file: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  mkdirSync(path.dirname(file), { recursive: true });
  const tar = execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--mode=u+rwX,go+rX,go-w', '-C', path.dirname(dir), '-cf', '-', path.basename(dir)], { maxBuffer: 1 << 30 });
  const gz = execFileSync('gzip', ['-n', '-9'], { input: tar, maxBuffer: 1 << 30 });
  writeFileSync(tmp, gz);
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'build/banbao' }, tar: { type: 'string' } } });
  const version = (JSON.parse(readFileSync(path.join(HOME, 'package.json'), 'utf8')) as { version: string }).version;
  if (values.tar) {
    // the tarball's folder carries the version: banbao-0.1.0/
    const dir = path.join(path.resolve(values.out!, '..'), `banbao-${version}`);
    await buildDist(dir);
    const file = path.join(values.tar, `banbao-${version}.tar.gz`);
    writeTarball(dir, file);
    process.stdout.write(`${file}\n`);
  } else {
    await buildDist(path.resolve(values.out!));
    process.stdout.write(`${values.out}\n`);
  }
}

if (/build-dist\.ts$/.test(process.argv[1] ?? '')) {
  main().catch((e: unknown) => {
    process.stderr.write(`build-dist: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
