// Notices when the catalog file changes. The directory is watched rather than the file:
// editors and config-management tools often write a new file and rename it over the old one,
// which a watch on the old file's inode would never see. Bursts of events (write, chmod,
// rename) collapse into one call after a short quiet period.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface CatalogWatcher {
  close(): void;
}

export function watchCatalogFile(file: string, onChange: () => void, debounceMs = 250): CatalogWatcher {
  const path = resolve(file);
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined = watch(dirname(path), { persistent: false }, (_event, changed) => {
    // Some platforms do not say which file changed: treat it as ours, the reload compares content anyway.
    if (changed !== null && changed.toString() !== name) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  });
  watcher.on('error', () => {
    // The directory went away; SIGHUP still reloads.
    watcher?.close();
    watcher = undefined;
  });
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
