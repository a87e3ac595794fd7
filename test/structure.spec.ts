// The layers of src/ as CONTRIBUTING.md describes them, checked so that they stay that way:
// each folder has a layer, imports run only to the same layer or a lower one, and there is
// no cycle between folders nor between files. (File length is a guideline in CONTRIBUTING,
// not a test.) Specs are not part of the graph: they may import from anywhere.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', 'src');

/**
 * The layer of each top-level folder of src/, bottom up ('.' is the files at src/'s root:
 * the module's wiring and index.ts). A folder's subfolders share its layer.
 */
const LAYERS: Record<string, number> = {
  sdk: 0,
  errors: 1,
  options: 2,
  internal: 3,
  auth: 4,
  refresh: 4,
  users: 4,
  oauth: 4,
  service: 5,
  session: 5,
  endpoints: 6,
  openapi: 6,
  health: 6,
  '.': 7,
  testing: 7,
};

const files = (readdirSync(SRC, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
  .map((name) => name.split('\\').join('/'));

/**
 * The src files `file` imports, re-exports or requires (a part loaded on first need, such as the
 * token endpoints: it keeps to the layers too), relative specifiers only, as paths relative to src.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:from |require\()'(\.{1,2}\/[^']+)'/g)].map(([, spec]) => {
    const target = relative(SRC, resolve(SRC, dirname(file), spec))
      .split('\\')
      .join('/');
    return files.includes(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`;
  });
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '.');
const edges = files.flatMap((file) =>
  graph.get(file)!.map((target) => ({ file, target, from: folderOf(file), to: folderOf(target) })),
);

/** The cycles of a directed graph, each as `a -> b -> a` (one per back edge found). */
function cyclesOf(nodes: string[], next: (node: string) => string[]): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'visiting');
    for (const target of next(node)) visit(target, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of nodes) visit(node, []);
  return cycles;
}

describe('the layers of src/', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.filter(({ target }) => !files.includes(target))).toEqual([]);
  });

  it('gives every folder a layer', () => {
    const unplaced = [...new Set(files.map(folderOf))].filter((folder) => LAYERS[folder] === undefined);
    expect(unplaced).toEqual([]);
  });

  it('never imports from a higher layer', () => {
    const upward = edges
      .filter(({ from, to }) => LAYERS[to] > LAYERS[from])
      .map(({ file, target, from, to }) => `${file} (layer ${LAYERS[from]}) -> ${target} (layer ${LAYERS[to]})`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folders = [...new Set(files.map(folderOf))];
    const next = (folder: string) => [
      ...new Set(edges.filter(({ from, to }) => from === folder && to !== folder).map(({ to }) => to)),
    ];
    expect(cyclesOf(folders, next)).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cyclesOf(files, (file) => graph.get(file) ?? [])).toEqual([]);
  });
});

/** The .ts files under `dir`, recursively, leaving out installed packages and build output. */
function typeScriptFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist'].includes(entry.name) || entry.name.startsWith('.') ? [] : typeScriptFilesIn(path);
    }
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('line length', () => {
  const ROOT = join(__dirname, '..');
  const MAX = 120;

  it(`has no line over ${MAX} characters in the .ts files of src/, test/ and example/`, () => {
    const checked = ['src', 'test', 'example'].flatMap((dir) => typeScriptFilesIn(join(ROOT, dir)));
    expect(checked.length).toBeGreaterThan(100);
    const tooLong = checked.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .flatMap((line, index) =>
          line.length > MAX ? [`${relative(ROOT, file).split('\\').join('/')}:${index + 1} (${line.length})`] : [],
        ),
    );
    expect(tooLong).toEqual([]);
  });
});
