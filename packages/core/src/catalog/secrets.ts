// Credentials belong in environment variables; the catalog names them (secretEnv: PAY_API_KEY).
// This finds literal credentials written into the catalog so it can be refused before anything
// logs, exports or serves it.

type PathSegment = string | number;

export interface LiteralSecret {
  path: PathSegment[];
  message: string;
}

const SECRET_KEY_RE = /^(secret|token|password|passwd|pass|api[_-]?key|apikey|client[_-]?secret|access[_-]?token|private[_-]?key|credentials?)$/i;

/** Header names that carry credentials; they go through `auth`, never `headers`. */
const CREDENTIAL_HEADER_RE = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token|x-api-token|x-api-secret)$/i;

const CREDENTIAL_QUERY_RE = /^(api[_-]?key|apikey|key|token|access[_-]?token|secret|client[_-]?secret|password|sig|signature)$/i;

function checkUrl(value: string, path: PathSegment[], out: LiteralSecret[]) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return;
  }
  if (url.username || url.password) {
    out.push({ path, message: 'URL contains credentials (user:password@); use auth with environment variables instead' });
  }
  for (const key of url.searchParams.keys()) {
    if (CREDENTIAL_QUERY_RE.test(key)) {
      out.push({
        path,
        message: `URL query parameter "${key}" looks like a credential; literal secrets are not allowed in the catalog, use auth with an environment variable`,
      });
    }
  }
}

function walk(node: unknown, path: PathSegment[], out: LiteralSecret[]) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, [...path, i], out));
    return;
  }
  if (node === null || typeof node !== 'object') {
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const here = [...path, key];
    const parent = path[path.length - 1];
    if (parent === 'headers' && typeof value === 'string' && CREDENTIAL_HEADER_RE.test(key)) {
      out.push({
        path: here,
        message: `header "${key}" carries a credential; literal secrets are not allowed, use auth: { type: header, header: ${key}, secretEnv: ENV_NAME } (or type: bearer)`,
      });
    } else if (typeof value === 'string' && SECRET_KEY_RE.test(key)) {
      out.push({
        path: here,
        message: `literal secret "${key}" is not allowed; name an environment variable instead (e.g. secretEnv: MY_API_KEY)`,
      });
    } else if ((key === 'url' || key === 'tokenUrl') && typeof value === 'string') {
      checkUrl(value, here, out);
    } else {
      walk(value, here, out);
    }
  }
}

export function findLiteralSecrets(data: unknown): LiteralSecret[] {
  const out: LiteralSecret[] = [];
  walk(data, [], out);
  return out;
}
