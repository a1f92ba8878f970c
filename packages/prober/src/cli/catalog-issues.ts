import { formatIssue, type CatalogIssue } from '@apimon/core';

/** Every catalog problem on its own line, then the verdict: what each command prints before exit 2. */
export function reportCatalogIssues(file: string, issues: CatalogIssue[]): void {
  for (const issue of issues) {
    process.stderr.write(`${formatIssue(issue)}\n`);
  }
  process.stderr.write(`${file}: ${issues.length} problem(s); the catalog was not accepted\n`);
}
