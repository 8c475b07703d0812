// Where the tool's own files are (package.json, the browser scripts it inlines): the repository when
// run from its sources (tsx), the unpacked folder when run from the bundle that `make dist` writes.
// The bundle is built with __BANBAO_BUNDLE__ defined; its chunks sit in <home>/lib/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __BANBAO_BUNDLE__: boolean | undefined;

/** True when running from the esbuild bundle (dist), false from the TypeScript sources. */
export const BUNDLED: boolean = typeof __BANBAO_BUNDLE__ !== 'undefined' && __BANBAO_BUNDLE__ === true;

/** The tool's folder: the repository root, or the unpacked dist folder. */
export const HOME: string = BUNDLED
  ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  : fileURLToPath(new URL('../', import.meta.url));

/** Where the bundle keeps the scripts pages inline (vega builds, the check page's bundle). */
export const ASSET_DIR: string = path.join(HOME, 'lib', 'assets');
