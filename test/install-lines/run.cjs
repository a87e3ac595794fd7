// `npm run test:install-lines`: every `npm install` line of README.md and docs/*.md
// works as pasted in a fresh NestJS 11 app and a fresh NestJS 12 app. It asks the
// registry, so it is not part of `npm test`; CI runs it after. Each app is shaped like
// `nest new`'s (package.json and its lock file), with the packed package installed;
// each line runs there with `--dry-run`, in the app of the major its comment names
// (`# NestJS 11`, `# NestJS 12`), in both when it names none. A line fails on an
// error (ERESOLVE among them) and on an ERESOLVE warning that is not known harmless.
'use strict';
const { spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { ROOT, packPackage } = require('../support/packed-package.cjs');

/**
 * The package.json of `nest new` (the application template of @nestjs/schematics
 * 11.1.0 and 12.0.17, with the test files nest new adds by default).
 */
const APPS = {
  11: {
    dependencies: {
      '@nestjs/common': '^11.0.1',
      '@nestjs/core': '^11.0.1',
      '@nestjs/platform-express': '^11.0.1',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@eslint/eslintrc': '^3.2.0',
      '@eslint/js': '^9.18.0',
      '@nestjs/cli': '^11.0.0',
      '@nestjs/schematics': '^11.0.0',
      '@nestjs/testing': '^11.0.1',
      '@types/express': '^5.0.0',
      '@types/jest': '^30.0.0',
      '@types/node': '^24.0.0',
      '@types/supertest': '^7.0.0',
      eslint: '^9.18.0',
      'eslint-config-prettier': '^10.0.1',
      'eslint-plugin-prettier': '^5.2.2',
      globals: '^17.0.0',
      jest: '^30.0.0',
      prettier: '^3.4.2',
      'source-map-support': '^0.5.21',
      supertest: '^7.0.0',
      'ts-jest': '^29.2.5',
      'ts-loader': '^9.5.2',
      'ts-node': '^10.9.2',
      'tsconfig-paths': '^4.2.0',
      typescript: '^5.7.3',
      'typescript-eslint': '^8.20.0',
    },
  },
  12: {
    dependencies: {
      '@nestjs/common': '^12.0.1',
      '@nestjs/core': '^12.0.1',
      '@nestjs/platform-express': '^12.0.1',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@nestjs/cli': '^12.0.0',
      '@nestjs/mau': '^0.2.6',
      '@nestjs/schematics': '^12.0.0',
      '@nestjs/testing': '^12.0.1',
      '@types/express': '^5.0.0',
      '@types/jest': '^30.0.0',
      '@types/node': '^24.0.0',
      '@types/supertest': '^7.0.0',
      jest: '^30.0.0',
      oxlint: '^1.58.0',
      'oxlint-tsgolint': '^7.0.2001',
      prettier: '^3.4.2',
      'source-map-support': '^0.5.21',
      supertest: '^7.0.0',
      'ts-jest': '^29.4.0',
      'ts-loader': '^9.5.2',
      'ts-node': '^10.9.2',
      'tsconfig-paths': '^4.2.0',
      typescript: '^6.0.2',
    },
  },
};

/** ERESOLVE warnings the docs name as harmless, by the package npm was resolving. */
const HARMLESS_ERESOLVE = {
  // @nestjs/apollo 13 depends on it; docs/graphql.md says the plugin is not used.
  '@apollo/server-plugin-landing-page-graphql-playground': 'docs/graphql.md',
};

const PACKAGE = 'nestjs-cognito-sync';
const PARALLEL_LINES_PER_APP = 2;
// What `npm run` adds to the environment would point the app's npm at this repository.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_(package_|lifecycle_|config_local_prefix$|config_prefix$)/.test(key),
  ),
);

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

main().catch((error) => {
  console.error(`install lines: ${error.message}`);
  process.exitCode = 1;
});

async function main() {
  const lines = installLines();
  const scratch = mkdtempSync(join(tmpdir(), 'cognito-install-lines-'));
  try {
    const tarball = packPackage(scratch);
    console.log(
      `install lines: ${lines.length} lines in README.md and docs/*.md; the package packed (${seconds(started)})`,
    );
    const failures = (
      await Promise.all(Object.keys(APPS).map((major) => checkApp(major, lines, scratch, tarball)))
    ).flat();
    for (const failure of failures) console.error(`\ninstall lines: FAILED ${failure}`);
    console.log(
      `install lines: ${failures.length === 0 ? 'passed' : `${failures.length} failed`} in ${seconds(started)}`,
    );
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Every `npm install` / `npm i` of the docs: in any fence, or in an inline code span.
 * @returns {{ where: string, line: string, args: string[], majors: string[] }[]}
 */
function installLines() {
  const files = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  const found = [];
  for (const file of files) {
    let fenced = false;
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (/^\s*(```|~~~)/.test(text)) {
          fenced = !fenced;
          return;
        }
        const candidates = fenced
          ? [text.trim().replace(/^\$ /, '')]
          : [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
        for (const candidate of candidates) found.push(...parse(candidate, `${file}:${index + 1}`));
      });
  }
  if (found.length === 0) throw new Error('no install line found: is the extraction broken?');
  return found;
}

function parse(candidate, where) {
  const comment = /\s#\s?(.*)$/.exec(candidate);
  const command = comment ? candidate.slice(0, comment.index) : candidate;
  const majors = [...(comment?.[1] ?? '').matchAll(/\bNestJS (\d+)\b/g)].map((match) => match[1]);
  const installs = command
    .split(/&&|\|\||;/)
    .map((part) => part.trim())
    .filter((part) => /^npm\s+(install|i|add)(\s|$)/.test(part));
  return installs.map((line) => {
    if (/["'`$\\|<>]/.test(line)) throw new Error(`${where}: "${line}" is not a plain install line`);
    const unknown = majors.find((major) => !(major in APPS));
    if (unknown)
      throw new Error(`${where}: "${candidate}" is labelled NestJS ${unknown}, for which this script makes no app`);
    return { where, line, args: line.split(/\s+/).slice(1), majors: majors.length > 0 ? majors : Object.keys(APPS) };
  });
}

/** Makes the fresh app of `major`, then runs its lines; resolves to the failures. */
async function checkApp(major, lines, scratch, tarball) {
  const app = join(scratch, `nest${major}-app`);
  const appStarted = Date.now();
  mkdirSync(app);
  const { dependencies, devDependencies } = APPS[major];
  const manifest = {
    name: `nest${major}-app`,
    version: '0.0.1',
    private: true,
    license: 'UNLICENSED',
    dependencies: { ...dependencies, [PACKAGE]: `file:${tarball}` },
    devDependencies,
  };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const setup = await npm(['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], app);
  if (setup.code !== 0)
    return [`a fresh NestJS ${major} app with ${PACKAGE} does not resolve:\n${errorLines(setup.output)}`];
  console.log(`install lines: a fresh NestJS ${major} app with ${PACKAGE} and its lock file (${seconds(appStarted)})`);

  const mine = lines.filter((entry) => entry.majors.includes(major));
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < mine.length) {
      const entry = mine[next++];
      const lineStarted = Date.now();
      const args = entry.args.map((arg) => (arg === PACKAGE || arg.startsWith(`${PACKAGE}@`) ? tarball : arg));
      const { code, output } = await npm([...args, '--dry-run', '--no-audit', '--no-fund'], app);
      const warned = eresolveWarnings(output);
      const harmful = warned.filter((name) => !(name in HARMLESS_ERESOLVE));
      const known = warned
        .filter((name) => name in HARMLESS_ERESOLVE)
        .map((name) => `, the ERESOLVE warning ${HARMLESS_ERESOLVE[name]} calls harmless (${name})`);
      if (code !== 0) failures.push(`${entry.where} on NestJS ${major}: ${entry.line}\n${errorLines(output)}`);
      else if (harmful.length > 0)
        failures.push(
          `${entry.where} on NestJS ${major}: ${entry.line}\nERESOLVE warning while resolving ${harmful.join(', ')}`,
        );
      console.log(
        `install lines: NestJS ${major} ${code === 0 && harmful.length === 0 ? 'ok' : 'FAILED'} ` +
          `${entry.where} ${entry.line} (${seconds(lineStarted)}${known.join('')})`,
      );
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_LINES_PER_APP }, worker));
  return failures;
}

/** The packages npm warned ERESOLVE about ("While resolving: <name>@<version>"). */
function eresolveWarnings(output) {
  return [...output.matchAll(/npm warn ERESOLVE[^\n]*\nnpm warn While resolving: (@?[^@\s]+)@/g)].map(
    (match) => match[1],
  );
}

function errorLines(output) {
  const errors = output.split('\n').filter((line) => line.startsWith('npm error'));
  return (errors.length > 0 ? errors : output.split('\n').slice(-20)).slice(0, 30).join('\n');
}

function npm(args, cwd) {
  return run('npm', args, cwd);
}

/** Runs a command; resolves to its exit code and its stdout and stderr, interleaved. */
function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
