// The kubectl the Kubernetes tests render with. Machine images here ship a current kubectl;
// on a bare Debian bookworm .ci/run installs kubernetes-client (kubectl 1.20), whose kustomize
// renders deploy/kubernetes identically but predates `patches` in an overlay (1.21).
import { spawnSync } from 'node:child_process';

export interface KubectlVersion {
  major: number;
  minor: number;
}

/** The client's version, or null when kubectl is not on the PATH. */
export function kubectlVersion(): KubectlVersion | null {
  const out = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (out.status !== 0) {
    return null;
  }
  const info = JSON.parse(out.stdout) as { clientVersion: { major: string; minor: string } };
  return { major: Number(info.clientVersion.major), minor: Number.parseInt(info.clientVersion.minor, 10) };
}

/** kustomize in this kubectl understands `patches` (kubectl 1.21 and newer). */
export function kustomizeHasPatches(version: KubectlVersion): boolean {
  return version.major > 1 || version.minor >= 21;
}
