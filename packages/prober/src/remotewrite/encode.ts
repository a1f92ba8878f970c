// Prometheus remote write 1.0 payloads: a prometheus.WriteRequest (protobuf) compressed with
// the Snappy block format. The message is four small types, written field by field with
// @bufbuild/protobuf's wire writer rather than generated code:
//   WriteRequest { repeated TimeSeries timeseries = 1; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch ms
// snappyjs is pure JavaScript: no native build, and payloads here are a few kilobytes.
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { compress } from 'snappyjs';

export interface Sample {
  value: number;
  /** Epoch milliseconds. */
  timestamp: number;
}

export interface TimeSeries {
  /** Metric name, stored as the `__name__` label. */
  name: string;
  labels: Record<string, string>;
  samples: Sample[];
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The protobuf bytes of a WriteRequest; labels sorted by name as the protocol requires. */
export function encodeWriteRequest(series: TimeSeries[]): Uint8Array {
  const w = new BinaryWriter();
  for (const ts of series) {
    const labels = Object.entries({ ...ts.labels, __name__: ts.name })
      .filter(([, value]) => value !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    w.tag(1, WireType.LengthDelimited).fork();
    for (const [name, value] of labels) {
      if (!LABEL_NAME_RE.test(name)) {
        throw new Error(`invalid label name ${JSON.stringify(name)} on ${ts.name}`);
      }
      w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(name).tag(2, WireType.LengthDelimited).string(value).join();
    }
    for (const sample of ts.samples) {
      w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Bit64).double(sample.value).tag(2, WireType.Varint).int64(Math.round(sample.timestamp)).join();
    }
    w.join();
  }
  return w.finish();
}

/** The HTTP body of a remote-write request. */
export function remoteWriteBody(series: TimeSeries[]): Buffer {
  return compress(Buffer.from(encodeWriteRequest(series)));
}
