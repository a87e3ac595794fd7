// The README is a contract: every ```ts block of README.md and docs/*.md must compile,
// strict, as pasted on its own into a fresh Nest app that installed the built package.
// Each block becomes one file of a scratch app whose `nestjs-cognito-sync` is this
// repository's declarations, built afresh by this test (never a stale dist/). The same
// files are then linted with the ESLint configuration `nest new` writes, so that a block
// pasted into a new app passes its `npm run lint` too.
import js from '@eslint/js';
import { ESLint, type Linter } from 'eslint';
import globals from 'globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import tseslint from 'typescript-eslint';

const ROOT = join(__dirname, '..');
/** Inside the repository, so that the snippets resolve @nestjs/* and the SDK from its node_modules. */
const SCRATCH = join(ROOT, 'node_modules', '.cache', 'doc-test');
const PACKAGE = join(SCRATCH, 'nestjs-cognito-sync');

interface Snippet {
  file: string;
  line: number;
  code: string;
}

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' }).map((name) => join(docs, name))
    : [];
  return [...readdirSync(ROOT).map((name) => join(ROOT, name)), ...inDocs].filter((path) => path.endsWith('.md'));
}

/** The ```ts and ```typescript blocks of a Markdown file, with the line each starts on. */
export function tsBlocks(file: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith(`${indent}${fence}`)) body.push(lines[j++].slice(indent.length));
    snippets.push({ file: relative(ROOT, file), line: i + 1, code: body.join('\n') });
    i = j;
  }
  return snippets;
}

/** This repository's public declarations, as `npm run build` emits them, into the scratch package. */
function buildDeclarations(): void {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.build.json cannot be read');
  const program = ts.createProgram(config.fileNames, {
    ...config.options,
    outDir: join(PACKAGE, 'dist'),
    declaration: true,
    emitDeclarationOnly: true,
    sourceMap: false,
    declarationMap: false,
  });
  const result = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, host()));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(
    join(PACKAGE, 'package.json'),
    JSON.stringify({ name: manifest.name, version: manifest.version, types: 'dist/index.d.ts' }),
  );
}

function host(): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
}

/** A fresh app's compiler settings (what `nest new` writes), made strict. */
const APP_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: ['node'],
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  baseUrl: SCRATCH,
  paths: {
    'nestjs-cognito-sync': [join(PACKAGE, 'dist', 'index.d.ts')],
    'nestjs-cognito-sync/*': [join(PACKAGE, 'dist', '*')],
  },
};

/**
 * The eslint.config.mjs of `nest new` (@nestjs/schematics 11), without its Prettier plugin (formatting is
 * not what the docs promise). Where it has `projectService: true`, the type information is the type check's
 * own program (APP_OPTIONS, the scratch app's compiler settings): the same types, without building them twice.
 */
function nestNewLint(program: ts.Program): Linter.Config[] {
  return [
    js.configs.recommended,
    ...(tseslint.configs.recommendedTypeChecked as Linter.Config[]),
    {
      languageOptions: {
        globals: { ...globals.node, ...globals.jest },
        sourceType: 'commonjs',
        parserOptions: { programs: [program] },
      },
    },
    {
      rules: {
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-floating-promises': 'warn',
        '@typescript-eslint/no-unsafe-argument': 'warn',
      },
    },
  ];
}

const snippets = markdownFiles().flatMap((file) => tsBlocks(file, readFileSync(file, 'utf8')));

describe('docs/serverless.md', () => {
  it('shows example/lambda.ts (what test/example/lambda.e2e-spec.ts invokes) as an app imports the package', () => {
    const example = readFileSync(join(ROOT, 'example', 'lambda.ts'), 'utf8');
    expect(example).toContain("from '../src';");
    const shown = snippets.filter((snippet) => snippet.file === join('docs', 'serverless.md'));
    expect(shown.map((snippet) => `${snippet.code}\n`)).toContain(
      example.replace("from '../src';", "from 'nestjs-cognito-sync';"),
    );
  });
});

describe('the documentation’s ts blocks', () => {
  const diagnostics = new Map<string, string[]>();
  /** Lint errors by snippet file, each as `README.md:<line>:<column> <rule> <message>`; warnings pass. */
  const lintErrors = new Map<string, string[]>();
  let program: ts.Program;

  beforeAll(() => {
    rmSync(SCRATCH, { recursive: true, force: true });
    mkdirSync(PACKAGE, { recursive: true });
    buildDeclarations();
    const files = snippets.map((snippet, index) => {
      const path = join(SCRATCH, `snippet-${index}.ts`);
      // `export {}`: each block is a file of its own, never a script sharing globals with the others.
      writeFileSync(path, `${snippet.code}\nexport {};\n`);
      return path;
    });
    program = ts.createProgram(files, APP_OPTIONS);
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const file = diagnostic.file?.fileName ?? '(global)';
      const list = diagnostics.get(file) ?? [];
      list.push(ts.formatDiagnostic(diagnostic, host()).trim());
      diagnostics.set(file, list);
    }
  }, 120_000);

  // One ESLint run over every block, on the program the type check built (a few seconds).
  beforeAll(async () => {
    const eslint = new ESLint({ cwd: SCRATCH, overrideConfigFile: true, overrideConfig: nestNewLint(program) });
    const results = await eslint.lintFiles(snippets.map((_, index) => join(SCRATCH, `snippet-${index}.ts`)));
    for (const result of results) {
      const snippet = snippets[Number(/snippet-(\d+)\.ts$/.exec(result.filePath)?.[1])];
      const errors = result.messages
        .filter((message) => message.severity === 2)
        // The block's first line is the one after its opening fence.
        .map((m) => `${snippet.file}:${snippet.line + m.line}:${m.column} ${m.ruleId ?? '(parse)'} ${m.message}`);
      lintErrors.set(result.filePath, errors);
    }
  }, 120_000);

  afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

  it('finds the README’s blocks', () => {
    expect(snippets.filter((snippet) => snippet.file === 'README.md').length).toBeGreaterThan(3);
  });

  it('reports no error outside the blocks (the package’s own declarations)', () => {
    const outside = [...diagnostics.entries()].filter(([file]) => !/snippet-\d+\.ts$/.test(file));
    expect(outside).toEqual([]);
  });

  it.each(snippets.map((snippet, index) => [`${snippet.file}:${snippet.line}`, index] as const))(
    '%s compiles standalone',
    (_where, index) => {
      expect(diagnostics.get(join(SCRATCH, `snippet-${index}.ts`)) ?? []).toEqual([]);
    },
  );

  it('lints every block', () => {
    expect(lintErrors.size).toBe(snippets.length);
  });

  it.each(snippets.map((snippet, index) => [`${snippet.file}:${snippet.line}`, index] as const))(
    '%s passes the lint of a `nest new` app',
    (_where, index) => {
      expect(lintErrors.get(join(SCRATCH, `snippet-${index}.ts`))).toEqual([]);
    },
  );
});
