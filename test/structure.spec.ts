// The shape of src/ as CONTRIBUTING.md describes it, checked so that it stays that way:
// options at the bottom of the import graph, an error model that knows no filter or
// controller, no import cycles, no source file past 250 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', 'src');
const MAX_LINES = 250;

const files = (readdirSync(SRC, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
  .map((name) => name.split('\\').join('/'));

/** The src files `file` imports (relative imports only), as paths relative to src. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map(([, spec]) => {
    const target = relative(SRC, resolve(SRC, dirname(file), spec))
      .split('\\')
      .join('/');
    return files.includes(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`;
  });
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '.');

describe('the structure of src/', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('keeps options at the bottom: they import nothing but options and the error classes', () => {
    const outside = files
      .filter((file) => folderOf(file) === 'options')
      .flatMap((file) => graph.get(file)!.map((target) => `${file} -> ${target}`))
      .filter((edge) => !/-> (options\/|errors\/cognito\.errors\.ts|errors\/error-body\.ts)/.test(edge));
    expect(outside).toEqual([]);
  });

  it('keeps the error model free of the filter, controllers and features', () => {
    const model = [
      'errors/cognito.errors.ts',
      'errors/error-body.ts',
      'errors/cognito-auth.errors.ts',
      'errors/cognito-http-error.ts',
      'errors/upstream-text.ts',
    ];
    const outside = model
      .flatMap((file) => graph.get(file)!.map((target) => `${file} -> ${target}`))
      .filter((edge) => !/-> errors\/(cognito\.errors|error-body|cognito-auth\.errors|upstream-text)\.ts$/.test(edge));
    expect(outside).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files.filter((file) => readFileSync(join(SRC, file), 'utf8').split('\n').length > MAX_LINES);
    expect(long).toEqual([]);
  });
});
