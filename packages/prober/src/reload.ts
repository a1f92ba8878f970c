// Notices when the catalog file changes. The directory is watched rather than the file:
// editors and config-management tools often write a new file and rename it over the old one,
// which a watch on the old file's inode would never see. Bursts of events (write, chmod,
// rename) collapse into one call after a short quiet period.
//
// When the catalog is a symlink into its own directory, the entry it goes through counts as
// the catalog too: a Kubernetes ConfigMap volume makes `catalog.yaml -> ..data/catalog.yaml`
// and updates by renaming a new `..data` symlink into place, so the only event is for `..data`.
import { readlinkSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export interface CatalogWatcher {
  close(): void;
}

/** The directory entries of `dir` whose change can change what `path` reads. */
function entriesOf(path: string, dir: string): Set<string> {
  const names = new Set([basename(path)]);
  let target: string;
  try {
    target = readlinkSync(path);
  } catch {
    return names; // not a symlink (or gone for now)
  }
  const inside = relative(dir, resolve(dir, target));
  if (inside !== '' && !isAbsolute(inside) && inside !== '..' && !inside.startsWith(`..${sep}`)) {
    names.add(inside.split(sep)[0]);
  }
  return names;
}

export function watchCatalogFile(file: string, onChange: () => void, debounceMs = 250): CatalogWatcher {
  const path = resolve(file);
  const dir = dirname(path);
  let names = entriesOf(path, dir);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined = watch(dir, { persistent: false }, (_event, changed) => {
    // Some platforms do not say which file changed: treat it as ours, the reload compares content anyway.
    if (changed !== null && !names.has(changed.toString())) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      names = entriesOf(path, dir); // the link may point elsewhere now
      onChange();
    }, debounceMs);
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
