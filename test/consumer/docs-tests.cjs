// The test files the documentation shows, run as pasted: every ```ts/```json(c) block of
// README.md and docs/*.md whose first line names a file (`// test/global-setup.ts`) is
// written to that file, and every other ts block that imports @jest/globals becomes a
// unit spec under src/, in a fresh app beside the consumer (so that it resolves the packed
// package and the consumer's dependencies). The app has `nest new`'s Jest settings in its
// package.json; its unit specs run with them, its e2e files with the docs' own e2e config.
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
/** The e2e config the docs show, which `nest new` wrote and the docs extend. */
const E2E_CONFIG = 'test/jest-e2e.json';
/** `nest new`'s unit-test settings (its package.json's "jest"), which the docs assume. */
const NEST_NEW_JEST = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: 'src',
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.(t|j)s$': 'ts-jest' },
  testEnvironment: 'node',
};

/**
 * The documentation's test files: path in the app and content.
 * @returns {{ path: string, code: string, from: string }[]}
 */
function docsTestFiles() {
  const docs = join(ROOT, 'docs');
  const markdown = [
    join(ROOT, 'README.md'),
    ...readdirSync(docs)
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(docs, name)),
  ];
  const files = [];
  for (const file of markdown) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^(`{3,})(ts|typescript|json|jsonc)\s*$/.exec(lines[i]);
      if (!open) continue;
      const body = [];
      let j = i + 1;
      while (j < lines.length && !lines[j].startsWith(open[1])) body.push(lines[j++]);
      const code = body.join('\n') + '\n';
      const from = `${basename(file)}:${i + 1}`;
      const named = /^\/\/ ((?:src|test)\/[\w./-]+\.(?:ts|json))$/.exec(body[0] ?? '');
      if (named) files.push({ path: named[1], code, from });
      else if (/^(ts|typescript)$/.test(open[2]) && code.includes("from '@jest/globals'")) {
        files.push({ path: `src/${basename(file, '.md').toLowerCase()}-${i + 1}.spec.ts`, code, from });
      }
      i = j;
    }
  }
  return files;
}

/**
 * Writes the docs' test files into a fresh app folder inside the consumer and runs their
 * unit specs and their e2e config with Jest. Returns true when both runs pass.
 * @param {{ jest: string, env: NodeJS.ProcessEnv }} options
 */
function runDocsTests({ jest, env }) {
  const files = docsTestFiles();
  const paths = files.map(({ path }) => path);
  const twice = paths.filter((path, index) => paths.indexOf(path) !== index);
  if (twice.length > 0) throw new Error(`docs-tests: more than one block of the docs names ${twice.join(', ')}`);
  if (!paths.includes(E2E_CONFIG)) throw new Error(`docs-tests: no block of the docs is ${E2E_CONFIG}`);
  const app = mkdtempSync(join(__dirname, 'docs-app-'));
  try {
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'docs-app', private: true, jest: NEST_NEW_JEST }, null, 2),
    );
    copyFileSync(join(__dirname, 'tsconfig.json'), join(app, 'tsconfig.json'));
    mkdirSync(join(app, 'src'));
    for (const { path, code } of files) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), code);
    }
    console.log(
      `docs-tests: ${files.length} files from the ` +
        `docs:\n${files.map(({ path, from }) => `  ${path} (${from})`).join('\n')}`,
    );
    let passed = true;
    for (const args of [[], ['--config', E2E_CONFIG]]) {
      const run = spawnSync(process.execPath, [jest, '--ci', ...args], { cwd: app, env, stdio: 'inherit' });
      passed &&= run.status === 0;
    }
    return passed;
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

module.exports = { docsTestFiles, runDocsTests };
