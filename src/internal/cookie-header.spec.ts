import { cookieNamesWithPrefix, countCookies, readCookie } from './cookie-header';

describe('readCookie', () => {
  it.each<[string | string[] | undefined, string | undefined]>([
    ['a=1; token=abc.def.ghi; b=2', 'abc.def.ghi'],
    ['token=abc', 'abc'],
    ['token="abc"', 'abc'],
    ['token=a%2Eb', 'a.b'],
    [['a=1', 'token=x.y'], 'x.y'],
    ['xtoken=abc; tokenx=def', undefined],
    ['token=', undefined],
    ['token=%E0%A4%A', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(readCookie(header, 'token')).toBe(expected);
  });
});

describe('countCookies', () => {
  it.each<[string | string[] | undefined, number]>([
    [undefined, 0],
    ['a=1; b=2', 0],
    ['xtoken=a; tokenx=b; token', 0],
    ['a=1; token=abc', 1],
    ['token=', 1],
    ['token=a; token=b', 2],
    ['token=a;token=b', 2],
    [' token =a; x=1; token\t=b', 2],
    [['token=a', 'token=b'], 2],
    ['token=; token=b', 2],
    ['\u00a0token=a; token=b', 2],
    ['token=a=b; token=c', 2],
  ])('counts %j as %j', (header, expected) => {
    expect(countCookies(header, 'token')).toBe(expected);
  });
});

describe('cookieNamesWithPrefix', () => {
  it.each<[string | string[] | undefined, string[]]>([
    [undefined, []],
    ['a=1; login.x=1; b=2; login.y=2', ['login.x', 'login.y']],
    ['login.=1; login=2; xlogin.a=3', []],
    ['login.x=1; login.x=2;  login.y =3', ['login.x', 'login.y']],
    [
      ['login.a=1', 'login.b=2'],
      ['login.a', 'login.b'],
    ],
    ['login.a=1; login.b=2; login.c=3; login.d=4', ['login.a', 'login.b', 'login.c']],
  ])('finds in %j the names %j (three at most)', (header, expected) => {
    expect(cookieNamesWithPrefix(header, 'login.', 3)).toEqual(expected);
  });
});
