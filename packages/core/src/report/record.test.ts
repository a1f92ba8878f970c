import { formatIssue } from '../catalog/parse';
import { parseIncidentRecord, recordFor, recordIdOf } from './record';

const GOOD = `api: payments
from: 2026-11-10T14:00:00Z
to: "2026-11-10 16:30"
summary: Card payments failed for 2 hours.
rootCause: The provider's deploy broke 3-D Secure callbacks.
correctiveActions:
  - action: Retry 5xx answers with backoff
    owner: payments-team
    due: 2026-12-15
  - action: Alert on 3-D Secure failures
    owner: sre
    due: "2026-12-01"
    status: done
    ticket: OPS-42
providerTicket: ACME-1234
`;

describe('incident records', () => {
  it('reads a record: times as UTC, actions open unless done, the id from the file name', () => {
    const r = parseIncidentRecord(GOOD, 'incidents/2026-11-10-payments.yaml');
    expect(r).toEqual({
      ok: true,
      record: {
        id: '2026-11-10-payments',
        file: 'incidents/2026-11-10-payments.yaml',
        api: 'payments',
        fromMs: Date.UTC(2026, 10, 10, 14),
        toMs: Date.UTC(2026, 10, 10, 16, 30),
        summary: 'Card payments failed for 2 hours.',
        rootCause: "The provider's deploy broke 3-D Secure callbacks.",
        correctiveActions: [
          {
            action: 'Retry 5xx answers with backoff',
            owner: 'payments-team',
            due: '2026-12-15',
            status: 'open',
            ticket: null,
          },
          { action: 'Alert on 3-D Secure failures', owner: 'sre', due: '2026-12-01', status: 'done', ticket: 'OPS-42' },
        ],
        providerTicket: 'ACME-1234',
      },
    });
  });

  it('names the file, line, field path and value of every problem, with a suggestion for a misspelt key', () => {
    const bad = `api: payments
from: 2026-11-10T14:00:00Z
to: 2026-11-10T16:00:00Z
summary: x
rootcause: forgot the case
correctiveActions:
  - action: Retry
    owner: ""
    due: next week
    status: doing
`;
    const r = parseIncidentRecord(bad, 'incidents/x.yaml');
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.issues.map(formatIssue);
    expect(lines).toEqual([
      'incidents/x.yaml:5:1: rootcause: unknown field "rootcause"; did you mean "rootCause"?',
      'incidents/x.yaml:8:12: correctiveActions[0].owner: must not be empty (got "")',
      'incidents/x.yaml:9:10: correctiveActions[0].due: must be a date such as "2026-12-15" (got "next week")',
      'incidents/x.yaml:10:13: correctiveActions[0].status: must be one of "open", "done"; did you mean "done"? (got "doing")',
    ]);
  });

  it('says what is missing, and refuses what is not a mapping or not YAML', () => {
    const missing = parseIncidentRecord('api: payments\n', 'r.yaml');
    expect(missing.ok ? [] : missing.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'from: is required',
      'to: is required',
      'summary: is required',
    ]);
    const list = parseIncidentRecord('- a\n- b\n', 'r.yaml');
    expect(list.ok ? '' : formatIssue(list.issues[0])).toBe(
      'r.yaml:1: (root): must be a mapping with at least api, from, to and summary (got a list of 2)'
    );
    const yaml = parseIncidentRecord('api: [payments\n', 'r.yaml');
    expect(yaml.ok ? '' : yaml.issues[0].message).toMatch(/^invalid YAML: /);
    const backwards = parseIncidentRecord(
      'api: a\nfrom: 2026-11-10T14:00:00Z\nto: 2026-11-10 13:00\nsummary: s\n',
      'r.yaml'
    );
    expect(backwards.ok ? '' : formatIssue(backwards.issues[0])).toBe(
      'r.yaml:3:5: to: must be after from (2026-11-10T14:00:00Z) (got "2026-11-10 13:00")'
    );
    const time = parseIncidentRecord('api: a\nfrom: soon\nto: 2026-11-10\nsummary: s\n', 'r.yaml');
    expect(time.ok ? '' : formatIssue(time.issues[0])).toBe(
      'r.yaml:2:7: from: must be a time such as "2026-11-03T10:00:00Z" or "2026-11-03 10:00" (UTC) (got "soon")'
    );
  });

  it('finds the record that covers an incident of an API', () => {
    const r = parseIncidentRecord(GOOD, 'incidents/a.yaml');
    if (!r.ok) {
      throw new Error('fixture');
    }
    expect(recordFor([r.record], 'payments', Date.UTC(2026, 10, 10, 15), Date.UTC(2026, 10, 10, 18))).toBe(r.record);
    expect(recordFor([r.record], 'payments', Date.UTC(2026, 10, 11), Date.UTC(2026, 10, 12))).toBeUndefined();
    expect(recordFor([r.record], 'sms', Date.UTC(2026, 10, 10, 15), Date.UTC(2026, 10, 10, 18))).toBeUndefined();
    expect(recordIdOf('C:\\x\\incidents\\b.yml')).toBe('b');
  });
});
