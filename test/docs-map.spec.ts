// The README is the first screen of the package: short, with the map of docs/ near its top,
// and every link between the Markdown pages lands on a file (and a heading) that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const DOCS = join(ROOT, 'docs');
const MAP_HEADING = '## Documentation';

function linesOf(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(file: string): { text: string; line: number }[] {
  const prose: { text: string; line: number }[] = [];
  let fence: string | undefined;
  linesOf(file).forEach((text, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === undefined && marker !== undefined) fence = marker;
    else if (fence !== undefined && marker !== undefined && marker.startsWith(fence)) fence = undefined;
    else if (fence === undefined) prose.push({ text, line: index + 1 });
  });
  return prose;
}

/** GitHub's anchors for a page's headings (a repeated heading gets -1, -2, ...). */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(file)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

const docsPages = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
const pages = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docsPages.map((name) => join('docs', name))].map(
  (page) => join(ROOT, page),
);

describe('the README', () => {
  const readme = linesOf(join(ROOT, 'README.md'));

  it('is at most 300 lines', () => {
    expect(readme.length).toBeLessThanOrEqual(300);
  });

  it('has the map of docs/ within its first 80 lines, naming every page of docs/', () => {
    const start = readme.indexOf(MAP_HEADING);
    expect(start).toBeGreaterThanOrEqual(0);
    const length = readme.slice(start + 1).findIndex((line) => line.startsWith('## '));
    const map = readme.slice(start, length < 0 ? undefined : start + 1 + length);
    expect(start + map.length).toBeLessThanOrEqual(80);
    const linked = docsPages.filter((name) => map.some((line) => line.includes(`](docs/${name})`)));
    expect(linked).toEqual(docsPages);
  });
});

describe('links between the Markdown pages', () => {
  const links = pages.flatMap((page) =>
    proseLines(page).flatMap(({ text, line }) =>
      [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1])
        .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target))
        .map((target) => ({ page, where: `${relative(ROOT, page)}:${line}`, target })),
    ),
  );

  it('finds the links', () => {
    expect(links.length).toBeGreaterThan(50);
  });

  it.each(links.map((link) => [link.where, link.target, link.page] as const))(
    '%s: %s exists',
    (_where, target, page) => {
      const [path, anchor] = target.split('#');
      const file = path === '' ? page : join(dirname(page), decodeURIComponent(path));
      expect(existsSync(file) ? relative(ROOT, file) : `missing: ${relative(ROOT, file)}`).toBe(relative(ROOT, file));
      if (anchor !== undefined && file.endsWith('.md')) expect([...anchorsOf(file)]).toContain(anchor);
    },
  );
});
