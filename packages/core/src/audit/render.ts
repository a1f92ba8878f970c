// The audit as people read it: a plain-text list for the terminal and a Markdown report (for
// a ticket, a wiki page or the monthly report). The JSON lines are findingJson in model.ts.
import { AUDIT_KINDS, AUDIT_SEVERITIES } from '../contract/audit';
import { countBySeverity, type Finding } from './model';

function counts(findings: Finding[]): string {
  const problems = findings.filter((f) => f.severity !== 'info');
  const by = countBySeverity(problems);
  const parts = [...AUDIT_SEVERITIES]
    .reverse()
    .filter((s) => s !== 'info' && by[s] > 0)
    .map((s) => `${by[s]} ${s}`);
  return `${problems.length} finding${problems.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

const where = (f: Finding) => (f.endpoint ? `${f.api}/${f.endpoint}` : f.api);

export function renderFindingsTable(findings: Finding[], header: string): string {
  const problems = findings.filter((f) => f.severity !== 'info');
  const inventory = findings.filter((f) => f.kind === 'auth_method');
  const lines = [`${header}: ${counts(findings)}`, ''];
  for (const f of problems) {
    lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.kind.padEnd(20)} ${where(f)}`);
    lines.push(`  ${f.summary}`);
    lines.push(`  -> ${f.recommendation}`);
    if (f.estimatedGain) {
      lines.push(`  gain: ${f.estimatedGain.text}`);
    }
    lines.push('');
  }
  if (inventory.length > 0) {
    lines.push('Authentication inventory:');
    const width = Math.max(...inventory.map((f) => f.api.length));
    for (const f of inventory) {
      lines.push(`  ${f.api.padEnd(width)}  ${f.summary.replace(/^Authentication: /, '')}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderFindingsMarkdown(findings: Finding[], title: string, subtitle: string): string {
  const problems = findings.filter((f) => f.severity !== 'info');
  const inventory = findings.filter((f) => f.kind === 'auth_method');
  const out = [`# ${title}`, '', subtitle, '', `**${counts(findings)}**`, ''];
  if (problems.length > 0) {
    out.push(
      '| Severity | Finding | API | Endpoint | What was found | What to do | Estimated gain |',
      '|---|---|---|---|---|---|---|'
    );
    for (const f of problems) {
      out.push(
        `| ${f.severity} | \`${f.kind}\` (${AUDIT_KINDS[f.kind].title}) | ${cell(f.api)} | ${cell(f.endpoint || '-')} | ${cell(f.summary)} | ${cell(f.recommendation)} | ${cell(f.estimatedGain?.text ?? '-')} |`
      );
    }
    out.push('');
  }
  if (inventory.length > 0) {
    out.push(
      '## Authentication inventory',
      '',
      '| API | Method | Credential travels in | Variables | Transport |',
      '|---|---|---|---|---|'
    );
    for (const f of inventory) {
      const e = f.evidence;
      out.push(
        `| ${cell(f.api)} | ${cell(String(e.method))} | ${cell(String(e.credentialIn))} | ${cell(String(e.variables) || '-')} | ${cell(String(e.schemes))} |`
      );
    }
    out.push('');
  }
  out.push('Findings, what triggers them and what to do: docs/audit.md.', '');
  return out.join('\n');
}
