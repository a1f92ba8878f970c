// What a built plugin imports by name from the modules Grafana shares with plugins, read from
// the source maps next to each bundle (dist/**/module.js.map, chunks too): the original source of
// every module webpack put in the bundle, ours and the libraries bundled with it (e.g.
// @grafana/plugin-ui). Loading and rendering a bundle only reaches the names on the paths a test
// runs; this covers every import, so a name one Grafana lacks is found wherever it is used.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SharedImport {
  /** The shared module, e.g. "@grafana/ui". */
  module: string;
  /** The imported name, e.g. "Combobox". */
  name: string;
  /** Where: "<source map> <source>". */
  from: string;
}

interface SourceMap {
  sources: string[];
  sourcesContent?: Array<string | null>;
}

function sourceMaps(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceMaps(path);
    }
    return entry.name.endsWith('.js.map') ? [path] : [];
  });
}

/** Value imports (and re-exports) by name from `modules` in one source file; types are skipped. */
function namedImports(
  code: string,
  fileName: string,
  modules: ReadonlySet<string>
): Array<{ module: string; name: string }> {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const found: Array<{ module: string; name: string }> = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!modules.has(module) || !clause || clause.isTypeOnly) {
        continue;
      }
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if (!element.isTypeOnly) {
            found.push({ module, name: (element.propertyName ?? element.name).text });
          }
        }
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.isTypeOnly &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      modules.has(statement.moduleSpecifier.text) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        if (!element.isTypeOnly) {
          found.push({ module: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text });
        }
      }
    }
  }
  return found;
}

/**
 * Every named value import from `modules` in the bundles under `distDir`. Default and namespace
 * imports are left out: they name no export (a namespace's members are checked when a test runs
 * them, see grafana-amd.ts).
 */
export function sharedImports(distDir: string, modules: Iterable<string>): SharedImport[] {
  const wanted = new Set(modules);
  const found: SharedImport[] = [];
  for (const mapFile of sourceMaps(distDir)) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMap;
    if (!map.sourcesContent) {
      throw new Error(`${mapFile} has no sourcesContent: cannot tell what the bundle imports`);
    }
    map.sources.forEach((source, i) => {
      const code = map.sourcesContent![i];
      if (code && /\.[cm]?[jt]sx?$/.test(source)) {
        for (const imported of namedImports(code, source, wanted)) {
          found.push({
            ...imported,
            from: `${relative(distDir, mapFile)} ${source.replace(/^webpack:\/\/[^/]*\//, '')}`,
          });
        }
      }
    });
  }
  return found;
}
