// The catalog watcher on real files: edits in place, a Kubernetes ConfigMap volume's symlink
// swap, and files next to the catalog that are none of its business.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMapVolume } from './test-support/configmap-volume';
import { watchCatalogFile, type CatalogWatcher } from './reload';

const DEBOUNCE_MS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchCatalogFile', () => {
  let dir: string;
  let watcher: CatalogWatcher | undefined;
  let changes = 0;
  const onChange = () => {
    changes++;
  };
  /** Waits until the change count moves past `seen`, or fails after a while. */
  async function nextChange(seen: number): Promise<void> {
    for (let waited = 0; changes === seen; waited += 20) {
      if (waited > 5_000) {
        throw new Error('the watcher did not report the change');
      }
      await sleep(20);
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-reload-'));
    changes = 0;
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an edit of the file itself', async () => {
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, 'a');
    watcher = watchCatalogFile(file, onChange, DEBOUNCE_MS);
    writeFileSync(file, 'b');
    await nextChange(0);
  });

  it('reports a ConfigMap update, which swaps the ..data symlink and never touches catalog.yaml', async () => {
    const volume = new ConfigMapVolume(dir, 'catalog.yaml');
    volume.publish('version: 1');
    watcher = watchCatalogFile(volume.file, onChange, DEBOUNCE_MS);
    volume.publish('version: 2');
    await nextChange(0);
    // The next update is seen too: the watch follows the link, not the version it pointed to.
    const seen = changes;
    volume.publish('version: 3');
    await nextChange(seen);
  });

  it('ignores other files in the same directory', async () => {
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, 'a');
    watcher = watchCatalogFile(file, onChange, DEBOUNCE_MS);
    writeFileSync(join(dir, 'notes.txt'), 'unrelated');
    writeFileSync(join(dir, '..data_unrelated'), 'unrelated');
    await sleep(DEBOUNCE_MS * 10);
    expect(changes).toBe(0);
  });
});
