// The package's entry points export what the docs show, and the types those names are
// declared with (an option's type, a method's parameter or result); nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const ENTRY_POINTS = ['src/index.ts', 'src/testing/index.ts'];
const DOCS = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name)),
]
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

/** Names taken out of the entry points (CHANGELOG, Unreleased): internal, or the module's own wiring. */
const REMOVED = [
  'CognitoAuthController',
  'CognitoRefreshController',
  'operationOf',
  'CognitoOperation',
  'toCognitoUser',
  'toCognitoAttributes',
  'DEFAULT_MAX_ATTEMPTS',
  'DEFAULT_TIMEOUT_MS',
  'secretHash',
  'fingerprint',
  'ResolvedCognitoOptions',
  'ResolvedJwtSettings',
];

const documented = (name: string) => new RegExp(`\\b${name}\\b`).test(DOCS);

interface Export {
  name: string;
  typeOnly: boolean;
  /** The text of its declarations: what a type must appear in to be part of a documented name's signature. */
  declaration: string;
}

function exportsOf(entryPoint: string): Export[] {
  const program = ts.createProgram([join(ROOT, entryPoint)], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    experimentalDecorators: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, entryPoint))!)!;
  return checker.getExportsOfModule(module).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return {
      name: exported.name,
      typeOnly: (symbol.flags & ts.SymbolFlags.Value) === 0,
      declaration: (symbol.declarations ?? []).map((declaration) => declaration.getText()).join('\n'),
    };
  });
}

describe.each(ENTRY_POINTS)('%s', (entryPoint) => {
  const exported = exportsOf(entryPoint);

  it('exports none of the names taken out', () => {
    expect(exported.map(({ name }) => name).filter((name) => REMOVED.includes(name))).toEqual([]);
  });

  it('exports only names a docs page uses, and the types they are declared with', () => {
    const explained = exported.filter(({ name }) => documented(name));
    expect(explained.length).toBeGreaterThan(0);
    // A type is part of the API when an explained export's declaration names it (CognitoModuleOptions names
    // CognitoJwtOptions, which names ...).
    let rest = exported.filter((entry) => !explained.includes(entry));
    for (let grew = true; grew;) {
      const declaredWith = rest.filter(
        ({ name, typeOnly }) =>
          typeOnly && explained.some(({ declaration }) => new RegExp(`\\b${name}\\b`).test(declaration)),
      );
      explained.push(...declaredWith);
      rest = rest.filter((entry) => !declaredWith.includes(entry));
      grew = declaredWith.length > 0;
    }
    expect(rest.map(({ name }) => name)).toEqual([]);
  });
});
