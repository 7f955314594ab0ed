import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The directory of an installed package (the one holding its package.json named `name`). */
export function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!isPackageRoot(dir, name)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed`);
    dir = parent;
  }
  return dir;
}

function isPackageRoot(dir: string, name: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === name;
}

/** Reads each file once, on first use, and keeps its text: the few files a page loads. */
export function fileCache() {
  const files = new Map<string, Promise<string>>();
  return (file: string) => {
    let text = files.get(file);
    if (text === undefined) files.set(file, (text = fs.promises.readFile(file, 'utf8')));
    return text;
  };
}
