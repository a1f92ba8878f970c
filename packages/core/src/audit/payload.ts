// large_payload and uncompressed: the size of what comes back, and whether the provider
// compresses it when asked (the prober asks as the platform's clients do, and compares the
// bytes on the wire with the decoded bytes).
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtBytes, fmtCount } from './format';

export interface PayloadEvidence {
  api: string;
  endpoint: string;
  /** Decoded body size of the last response. */
  decodedBytes: number | null;
  wireBytes: number | null;
  /** p95 of the response size on the wire over the window. */
  wireP95Bytes: number | null;
  /** Content-Encoding of the last response ("identity" when none). */
  encoding: string | null;
  compressionRequested: boolean;
  fieldSelection: boolean;
  docs?: string;
  callsPerDay: number | null;
}

const perDay = (bytes: number, calls: number | null) => (calls === null ? null : bytes * calls);

export function judgeLargePayload(e: PayloadEvidence): Finding | null {
  const p = AUDIT_POLICY.payload;
  const size = e.decodedBytes ?? e.wireP95Bytes;
  if (size === null || size < p.largeBytes) {
    return null;
  }
  const daily = perDay(size, e.callsPerDay);
  const fields = e.fieldSelection
    ? `Ask only for the fields the platform uses: the catalog says the API supports field selection (a fields parameter, sparse fieldsets or a GraphQL selection${e.docs ? `; see ${e.docs}` : ''}).`
    : 'Ask for less: narrower queries, smaller pages, or a field-selection option if the provider has one (then set capabilities.fieldSelection in the catalog).';
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'large_payload',
    severity: size >= p.veryLargeBytes ? 'medium' : 'low',
    summary: `Responses are ${e.decodedBytes !== null ? `${fmtBytes(size)} decoded` : `${fmtBytes(size)} on the wire (p95)`}${daily === null ? '' : `: ${fmtBytes(daily)} a day for the platform's ${fmtCount(e.callsPerDay!)} calls`}.`,
    evidence: {
      decodedBytes: e.decodedBytes,
      wireBytes: e.wireBytes,
      wireP95Bytes: e.wireP95Bytes,
      fieldSelection: e.fieldSelection,
      callsPerDay: e.callsPerDay === null ? null : Math.round(e.callsPerDay),
    },
    recommendation: fields,
    estimatedGain:
      daily === null
        ? { text: 'Less to transfer, parse and hold in memory per call.', values: {} }
        : {
            text: `Every field dropped cuts up to ${fmtBytes(daily)} a day of transfer and parsing proportionally.`,
            values: { bytesPerDay: Math.round(daily) },
          },
  });
}

export function judgeUncompressed(e: PayloadEvidence): Finding | null {
  const p = AUDIT_POLICY.payload;
  if (
    !e.compressionRequested ||
    e.encoding !== 'identity' ||
    e.decodedBytes === null ||
    e.decodedBytes < p.compressMinBytes
  ) {
    return null;
  }
  const saved = e.decodedBytes * (1 - p.textCompressedShare);
  const daily = perDay(saved, e.callsPerDay);
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'uncompressed',
    severity: e.decodedBytes >= p.largeBytes ? 'medium' : 'low',
    summary: `Asked for gzip, deflate or br, the provider sent ${fmtBytes(e.decodedBytes)} uncompressed (Content-Encoding: identity).`,
    evidence: {
      decodedBytes: e.decodedBytes,
      wireBytes: e.wireBytes,
      encoding: e.encoding,
      compressionRequested: e.compressionRequested,
      callsPerDay: e.callsPerDay === null ? null : Math.round(e.callsPerDay),
    },
    recommendation:
      "Make sure the platform's client sends Accept-Encoding: gzip (most do); if it does and the provider still answers uncompressed, ask the provider to enable compression (JSON typically shrinks to a quarter).",
    estimatedGain: {
      text:
        daily === null
          ? `About ${fmtBytes(saved)} less on the wire per call (at a typical ${Math.round((1 - p.textCompressedShare) * 100)}% for JSON).`
          : `About ${fmtBytes(daily)} a day less on the wire (${fmtBytes(saved)} per call at a typical ${Math.round((1 - p.textCompressedShare) * 100)}% for JSON).`,
      values: { bytesPerCall: Math.round(saved), ...(daily === null ? {} : { bytesPerDay: Math.round(daily) }) },
    },
  });
}
