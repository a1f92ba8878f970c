// npm run package on the real build (dist/): the zip's layout and bytes, its checksums, the
// unsigned report, and signing by the real @grafana/sign-plugin against a local HTTPS stand-in
// for grafana.com's signing API (GRAFANA_COM_URL), the one part that cannot run here.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { issueCertificate } from '../../packages/prober/src/test-support/certs';
import { describeRelease, PackageError, packagePlugin, type PackageOptions } from '../../scripts/package/plugin';
import { DIST_DIR, ensureBuilt, REPO_ROOT } from '../helpers/grafana-amd';

jest.setTimeout(120_000);

const APP_ID = 'apimon-apimon-app';
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PLUGIN_IDS = [APP_ID, 'apimon-apimon-datasource', 'apimon-healthboard-panel'];
/** Only what the child processes need: no signing token leaks in from the environment. */
const BASE_ENV = { PATH: process.env.PATH, HOME: process.env.HOME };

describe('npm run package', () => {
  let out: string;
  const options = (env: NodeJS.ProcessEnv = BASE_ENV): PackageOptions => ({
    root: REPO_ROOT,
    distDir: DIST_DIR,
    outDir: out,
    env,
  });

  beforeAll(() => {
    ensureBuilt();
  }, 300_000);
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'apimon-package-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('zips the built plugin under one top folder named after the app id, nested data source and panel included', async () => {
    const result = await packagePlugin(options());
    expect(result).toMatchObject({ pluginId: APP_ID, version: VERSION, zip: join(out, `${APP_ID}-${VERSION}.zip`) });
    const entries = unzipSync(readFileSync(result.zip));
    const names = Object.keys(entries);
    expect(names.every((n) => n === `${APP_ID}/` || n.startsWith(`${APP_ID}/`))).toBe(true);
    const files = names.filter((n) => !n.endsWith('/')).map((n) => n.slice(APP_ID.length + 1));
    expect(files).toEqual(
      expect.arrayContaining([
        'plugin.json',
        'module.js',
        'img/logo.svg',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'datasource/plugin.json',
        'datasource/module.js',
        'datasource/img/logo.svg',
        'panel/plugin.json',
        'panel/module.js',
        'panel/img/logo.svg',
      ])
    );
    // Every file is the built one, byte for byte, and every built file is in the zip.
    for (const file of files) {
      expect({
        file,
        same: Buffer.from(entries[`${APP_ID}/${file}`]).equals(readFileSync(join(DIST_DIR, file))),
      }).toEqual({ file, same: true });
    }
    const plugin = JSON.parse(strFromU8(entries[`${APP_ID}/plugin.json`])) as { id: string; info: { version: string } };
    expect(plugin).toMatchObject({ id: APP_ID, info: { version: VERSION } });
    expect(strFromU8(entries[`${APP_ID}/CHANGELOG.md`])).toBe(readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'));
    expect(files).not.toContain('MANIFEST.txt');
    expect(result.notes).toMatch(new RegExp(`^## ${VERSION.replace(/\./g, '\\.')}`));
  });

  it('writes the sha1 and md5 in the sha1sum/md5sum format, and the same build zips to the same bytes', async () => {
    const first = await packagePlugin(options());
    const zip = readFileSync(first.zip);
    const name = `${APP_ID}-${VERSION}.zip`;
    expect(readFileSync(`${first.zip}.sha1`, 'utf8')).toBe(
      `${createHash('sha1').update(zip).digest('hex')}  ${name}\n`
    );
    expect(readFileSync(`${first.zip}.md5`, 'utf8')).toBe(`${createHash('md5').update(zip).digest('hex')}  ${name}\n`);
    const second = await packagePlugin(options());
    expect(second.sha1).toBe(first.sha1);
  });

  it('says it is unsigned and names the plugin ids Grafana must allow', async () => {
    const result = await packagePlugin(options());
    expect(result.signature).toEqual({ kind: 'unsigned' });
    expect(result.pluginIds.sort()).toEqual(PLUGIN_IDS);
    const report = describeRelease(result, out);
    expect(report).toContain(`${APP_ID} ${VERSION}: ${APP_ID}-${VERSION}.zip`);
    expect(report).toContain('unsigned');
    expect(report).toContain(`allow_loading_unsigned_plugins = ${result.pluginIds.join(',')}`);
    expect(report).toContain(`grafana cli --pluginUrl <url or path of the zip> plugins install ${APP_ID}`);
  });

  describe('with a signing token', () => {
    const ca = issueCertificate({ commonName: 'apimon test CA', isCa: true });
    const leaf = issueCertificate({ commonName: '127.0.0.1', altNames: ['127.0.0.1'], issuer: ca });
    let server: https.Server;
    let requests: Array<{ path: string; authorization?: string; body: Record<string, unknown> }>;
    let answer: (manifest: Record<string, unknown>) => { status: number; body: string };
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      server = https.createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
        let text = '';
        req.on('data', (c: Buffer) => (text += c.toString()));
        req.on('end', () => {
          const body = JSON.parse(text) as Record<string, unknown>;
          requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
          const { status, body: reply } = answer(body);
          res.writeHead(status, { 'Content-Type': 'text/plain' }).end(reply);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      requests = [];
      answer = (manifest) => ({
        status: 200,
        body: `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${JSON.stringify(manifest, null, 2)}\n-----BEGIN PGP SIGNATURE-----\n\nstand-in\n-----END PGP SIGNATURE-----\n`,
      });
      const caFile = join(out, 'ca.pem');
      writeFileSync(caFile, ca.cert);
      env = {
        ...BASE_ENV,
        GRAFANA_ACCESS_POLICY_TOKEN: 'glc_test-token',
        APIMON_SIGN_ROOT_URLS: 'https://grafana.example.com/, https://grafana.internal.example/',
        GRAFANA_COM_URL: `https://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
        NODE_EXTRA_CA_CERTS: caFile,
      };
    });

    it('signs privately with @grafana/sign-plugin for the root URLs and ships its MANIFEST.txt', async () => {
      const result = await packagePlugin(options(env));
      expect(result.signature).toEqual({
        kind: 'private',
        rootUrls: ['https://grafana.example.com/', 'https://grafana.internal.example/'],
      });
      expect(requests).toHaveLength(1);
      const { path, authorization, body } = requests[0];
      expect(path).toBe('/api/plugins/ci/sign');
      expect(authorization).toBe('Bearer glc_test-token');
      expect(body).toMatchObject({
        plugin: APP_ID,
        version: VERSION,
        signatureType: 'private',
        rootUrls: ['https://grafana.example.com/', 'https://grafana.internal.example/'],
      });
      // The manifest covers exactly the zipped files, with their sha256.
      const entries = unzipSync(readFileSync(result.zip));
      const zipped = Object.keys(entries).filter((n) => !n.endsWith('/') && n !== `${APP_ID}/MANIFEST.txt`);
      const hashes = Object.fromEntries(
        zipped.map((n) => [n.slice(APP_ID.length + 1), createHash('sha256').update(entries[n]).digest('hex')])
      );
      expect(body.files).toEqual(hashes);
      expect(strFromU8(entries[`${APP_ID}/MANIFEST.txt`])).toContain('-----BEGIN PGP SIGNED MESSAGE-----');
      expect(describeRelease(result, out)).toContain(
        'signed: private signature (MANIFEST.txt) for https://grafana.example.com/, https://grafana.internal.example/'
      );
    });

    it("reports grafana.com's refusal through sign-plugin's message and writes no zip", async () => {
      answer = () => ({ status: 401, body: '{"message":"invalid token"}' });
      const failure = packagePlugin(options(env));
      await expect(failure).rejects.toThrow(PackageError);
      await expect(failure).rejects.toThrow(/@grafana\/sign-plugin failed:[\s\S]*401[\s\S]*invalid token/);
      expect(existsSync(join(out, `${APP_ID}-${VERSION}.zip`))).toBe(false);
    });

    it('refuses a token without root URLs, naming the variable to set', async () => {
      const { APIMON_SIGN_ROOT_URLS: _unset, ...withoutUrls } = env;
      await expect(packagePlugin(options(withoutUrls))).rejects.toThrow(
        /APIMON_SIGN_ROOT_URLS is not: a private signature names the root URL/
      );
      await expect(packagePlugin(options({ ...env, APIMON_SIGN_ROOT_URLS: 'grafana.example.com' }))).rejects.toThrow(
        'APIMON_SIGN_ROOT_URLS: "grafana.example.com" is not a URL'
      );
      expect(requests).toEqual([]);
    });
  });

  it("refuses a build whose version is not package.json's, and a CHANGELOG.md without that version", async () => {
    const stale = join(out, 'dist');
    cpSync(DIST_DIR, stale, { recursive: true });
    const pluginJson = JSON.parse(readFileSync(join(stale, 'panel', 'plugin.json'), 'utf8')) as {
      info: { version: string };
    };
    pluginJson.info.version = '0.0.1';
    writeFileSync(join(stale, 'panel', 'plugin.json'), JSON.stringify(pluginJson));
    await expect(packagePlugin({ ...options(), distDir: stale })).rejects.toThrow(
      `${join(stale, 'panel', 'plugin.json')}: info.version is "0.0.1" but package.json says "${VERSION}": rebuild (npm run build)`
    );

    const root = join(out, 'root');
    cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    writeFileSync(join(root, 'CHANGELOG.md'), '# Changelog\n\n## 0.0.9\n\n- older\n');
    await expect(packagePlugin({ ...options(), root })).rejects.toThrow(`CHANGELOG.md has no section for ${VERSION}`);
  });
});
