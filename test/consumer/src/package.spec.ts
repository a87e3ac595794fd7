// What installing the package gives an app: the testing kit only behind its subpath,
// cognito-local never installed with it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const APP = join(__dirname, '..');
const PACKAGE = join(APP, 'node_modules', 'nestjs-cognito-sync');
/** Runs `code` in a fresh Node process of this app, outside Jest's module registry. */
const node = (code: string) =>
  execFileSync(process.execPath, ['-e', code], { cwd: APP, encoding: 'utf8', stdio: 'pipe' }).trim();

describe('the installed nestjs-cognito-sync', () => {
  it('loads no module of the testing kit from its main entry point', () => {
    const loaded = JSON.parse(
      node(`
        require('reflect-metadata');
        const main = require('nestjs-cognito-sync');
        if (typeof main.CognitoModule !== 'function') throw new Error('not the main entry point');
        console.log(JSON.stringify(Object.keys(require.cache)));
      `),
    ) as string[];
    const ours = loaded.filter((file) => file.startsWith(PACKAGE));
    expect(ours).toContain(join(PACKAGE, 'dist', 'index.js'));
    expect(ours.filter((file) => file.startsWith(join(PACKAGE, 'dist', 'testing')))).toEqual([]);
    expect(
      loaded.filter((file) => /[/\\]node_modules[/\\](cognito-local|@nestjs[/\\]testing|jest)[/\\]/.test(file)),
    ).toEqual([]);
  });

  it('serves the kit at nestjs-cognito-sync/testing, without Jest or @nestjs/testing', () => {
    const loaded = JSON.parse(
      node(`
        const kit = require('nestjs-cognito-sync/testing');
        const names = ['createCognitoTestKit', 'startCognitoLocal', 'FakeCognitoSyncService'].filter(
          (name) => typeof kit[name] !== 'function',
        );
        if (names.length) throw new Error('missing: ' + names);
        console.log(JSON.stringify(Object.keys(require.cache)));
      `),
    ) as string[];
    expect(loaded).toContain(join(PACKAGE, 'dist', 'testing', 'index.js'));
    expect(
      loaded.filter((file) => /[/\\]node_modules[/\\](cognito-local|@nestjs[/\\]testing|jest|ts-jest)[/\\]/.test(file)),
    ).toEqual([]);
  });

  it('keeps its files behind the exports map', () => {
    expect(() => node("require('nestjs-cognito-sync/dist/testing/index.js')")).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('has cognito-local as an optional peer dependency only', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
    expect(manifest.dependencies).not.toHaveProperty('cognito-local');
    expect(manifest.peerDependencies).toHaveProperty('cognito-local');
    expect(manifest.peerDependenciesMeta['cognito-local']).toEqual({ optional: true });
    expect(manifest.exports['./testing']).toEqual({
      types: './dist/testing/index.d.ts',
      default: './dist/testing/index.js',
    });
  });
});
