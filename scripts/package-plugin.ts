// npm run package: builds (npm run build runs first) and packages the Grafana plugin as a
// release zip in artifacts/ (see scripts/package/plugin.ts). Exit 2 for a problem to fix.
import { join } from 'node:path';
import { describeRelease, PackageError, packagePlugin } from './package/plugin';

const root = join(__dirname, '..');
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag === -1 ? join(root, 'artifacts') : process.argv[outFlag + 1];

packagePlugin({ root, distDir: join(root, 'dist'), outDir }).then(
  (result) => {
    process.stdout.write(describeRelease(result, process.cwd()));
  },
  (err: unknown) => {
    if (err instanceof PackageError) {
      process.stderr.write(`npm run package: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
);
