import { describe, expect, it } from 'vitest';
import { normalisePath } from '../../src/http/path.ts';

describe('normalisePath', () => {
  it.each([
    ['/users/42', '/users/42'],
    ['/', '/'],
    ['/a//b///c', '/a/b/c'],
    ['//a/', '/a/'],
    ['/%7e%41%2d%2E%5f%7A', '/~A-._z'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/a%20b', '/a%20b'],
    ['/%2520', '/%2520'],
    ['/a%3fb', '/a%3Fb'],
  ])('%s -> %s', (input, expected) => {
    expect(normalisePath(input)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ['/a%2Fb', 'encoded-slash'],
    ['/a%2fb', 'encoded-slash'],
    ['/a%5Cb', 'encoded-backslash'],
    ['/a%00', 'encoded-nul'],
    ['/a%', 'malformed-escape'],
    ['/a%4', 'malformed-escape'],
    ['/a%zz', 'malformed-escape'],
    ['/a%%41', 'malformed-escape'],
  ])('rejects %s (%s)', (input, reason) => {
    expect(normalisePath(input)).toEqual({ ok: false, reason });
  });
});
