// A directory laid out the way the kubelet writes a ConfigMap volume (its AtomicWriter): every
// version of the data lives in a timestamped "..<time>" directory, "..data" is a symlink to the
// current one, and each key is a symlink "<key> -> ..data/<key>". An update writes a new
// version directory, points a "..data_tmp" symlink at it, renames that over "..data" (the
// atomic swap) and removes the old version. The key's own symlink never changes.
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class ConfigMapVolume {
  private version = 0;
  private current: string | undefined;

  constructor(
    readonly dir: string,
    private readonly key: string
  ) {}

  /** The path a container reads: <dir>/<key>. */
  get file(): string {
    return join(this.dir, this.key);
  }

  /** Publishes new content the way the kubelet does; the first call also creates the key's symlink. */
  publish(content: string): void {
    const previous = this.current;
    this.version++;
    const versionDir = `..2026_01_01_00_00_${String(this.version).padStart(2, '0')}.${1000 + this.version}`;
    mkdirSync(join(this.dir, versionDir));
    writeFileSync(join(this.dir, versionDir, this.key), content);
    symlinkSync(versionDir, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (previous === undefined) {
      symlinkSync(join('..data', this.key), this.file);
    } else {
      rmSync(join(this.dir, previous), { recursive: true, force: true });
    }
    this.current = versionDir;
  }
}
