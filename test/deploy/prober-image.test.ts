// The prober's container image cannot be built here (no Docker engine), so its Dockerfile is
// parsed (dockerfile-ast, the parser behind VS Code's Docker support) and checked for what the
// image must do: a pinned Node base, a non-root numeric user, nothing written outside the state
// volume (a read-only root file system works), a health check on /healthz, the catalog and the
// state where the compose file and the Kubernetes manifests mount them, and the npm package's
// pinned install, which test/prober/npm-package.test.ts runs for real.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Copy, type Healthcheck, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const DOCKERFILE = 'packages/prober/Dockerfile';
const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, DOCKERFILE), 'utf8'));
const proberVersion = (
  JSON.parse(readFileSync(join(ROOT, 'packages/prober/package.json'), 'utf8')) as { version: string }
).version;

/** The instructions of each build stage, in order (a stage starts at its FROM). */
const stages: Instruction[][] = [];
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() === 'FROM') {
    stages.push([]);
  }
  stages[stages.length - 1].push(instruction);
}
const final = stages[stages.length - 1];
const last = (stage: Instruction[], keyword: string) => stage.filter((i) => i.getKeyword() === keyword).pop();
/** An exec-form (JSON array) instruction's strings. */
const execForm = (instruction: Instruction | undefined): string[] => {
  const strings = (instruction as JSONInstruction | undefined)?.getJSONStrings?.() ?? [];
  return strings.map((s) => s.getJSONValue());
};
const envOf = (stage: Instruction[]): Record<string, string> =>
  Object.fromEntries(
    stage
      .filter((i) => i.getKeyword() === 'ENV')
      .flatMap((i) =>
        (i as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties()
      )
      .map((p) => [p.getName(), p.getValue() ?? ''])
  );
const runs = (stage: Instruction[]) =>
  stage.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');

describe(DOCKERFILE, () => {
  it('builds every stage on the same Node 22 or 24 release, pinned by exact version or digest', () => {
    const froms = dockerfile.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      const tag = from.getImageTag() ?? '';
      const pinned =
        /^(22|24)\.\d+\.\d+(-[a-z]+)*$/.test(tag) || /^sha256:[0-9a-f]{64}$/.test(from.getImageDigest() ?? '');
      expect({ image: from.getImage(), pinned }).toEqual({ image: from.getImage(), pinned: true });
    }
    expect(new Set(froms.map((f) => f.getImage())).size).toBe(1);
  });

  it('runs as a numeric non-root user, which Kubernetes runAsNonRoot can verify', () => {
    const user = last(final, 'USER')?.getArgumentsContent() ?? '';
    const [uid, gid] = user.split(':');
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(gid === undefined || Number(gid) > 0).toBe(true);
    // Nothing after the USER switches back.
    const at = final.findIndex((i) => i.getKeyword() === 'USER');
    expect(final.slice(at + 1).filter((i) => i.getKeyword() === 'USER')).toEqual([]);
  });

  it('writes only to its state directory (APIMON_DATA_DIR), made for that user, so a read-only root file system works', () => {
    const env = envOf(final);
    expect(env.APIMON_DATA_DIR).toBe('/var/lib/apimon');
    const [uid] = (last(final, 'USER')?.getArgumentsContent() ?? '').split(':');
    expect(runs(final).join('\n')).toMatch(new RegExp(`chown ${uid}(:\\d+)? ${env.APIMON_DATA_DIR}`));
    // Started directly: npm and npx write their cache under $HOME, which a read-only image lacks.
    const started = [...execForm(last(final, 'ENTRYPOINT')), ...execForm(last(final, 'CMD'))];
    expect(started[0]).toBe('apimon');
    expect(started.filter((a) => /^(npm|npx|tsx)$/.test(a))).toEqual([]);
  });

  it('checks its health on /healthz at the port it listens on and exposes', () => {
    const cmd = execForm(last(final, 'CMD'));
    const listen = cmd[cmd.indexOf('--listen') + 1];
    const port = listen.split(':').pop();
    expect(last(final, 'EXPOSE')?.getArgumentsContent()).toBe(port);
    const healthcheck = last(final, 'HEALTHCHECK') as Healthcheck;
    expect(healthcheck.getArgumentsContent()).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(healthcheck.getFlags().map((f) => f.getName())).toEqual(
      expect.arrayContaining(['interval', 'timeout', 'retries'])
    );
  });

  it('reads the catalog from /etc/apimon/catalog.yaml, with the demo catalog as the default', () => {
    const cmd = execForm(last(final, 'CMD'));
    expect(cmd.slice(0, 3)).toEqual(['run', '--config', '/etc/apimon/catalog.yaml']);
    expect(
      final.some(
        (i) => i.getKeyword() === 'COPY' && i.getArgumentsContent() === 'catalog.example.yaml /etc/apimon/catalog.yaml'
      )
    ).toBe(true);
  });

  it('installs the npm package with the versions of its shrinkwrap (the install the npm package test runs)', () => {
    const install = runs(stages[0]).join('\n');
    expect(install).toContain('npm pack --workspace packages/prober');
    expect(install).toContain('npm pkg delete devDependencies scripts');
    expect(install).toMatch(/npm ci --omit=dev/);
    const fromStage = (final.filter((i) => i.getKeyword() === 'COPY') as Copy[]).filter(
      (c) => c.getFromFlag() !== null
    );
    expect(fromStage.map((c) => c.getArguments().map((a) => a.getValue()))).toEqual([['/opt/apimon', '/opt/apimon']]);
    expect(runs(final).join('\n')).toContain('ln -s /opt/apimon/bin/apimon.js /usr/local/bin/apimon');
  });

  it('copies only files that exist in the build context, and the context leaves out dependencies and builds', () => {
    for (const copy of dockerfile.getCOPYs()) {
      const args = copy.getArguments().map((a) => a.getValue());
      if (copy.getFromFlag() !== null) {
        continue;
      }
      for (const source of args.slice(0, -1)) {
        expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
      }
    }
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', 'packages/*/dist']));
  });

  it('is the image the compose file runs for the prober and the sandbox, read-only, with the catalog and the state mounted', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8')) as {
      services: Record<
        string,
        { image?: string; build?: { dockerfile: string }; read_only?: boolean; volumes?: string[]; command?: string[] }
      >;
    };
    for (const name of ['prober', 'sandbox']) {
      const service = compose.services[name];
      expect(service).toMatchObject({
        image: `apimon/prober:${proberVersion}`,
        build: { dockerfile: DOCKERFILE },
        read_only: true,
      });
    }
    const prober = compose.services.prober;
    expect(prober.volumes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/:\/etc\/apimon\/catalog\.yaml:ro$/),
        expect.stringMatching(/^[a-z-]+:\/var\/lib\/apimon$/),
      ])
    );
    expect(prober.command!.slice(0, 3)).toEqual(['run', '--config', '/etc/apimon/catalog.yaml']);
  });
});
