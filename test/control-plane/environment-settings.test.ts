/** The control plane's environment vars: validated once, and the hosts each environment claims. */
import { describe, expect, it } from 'vitest';
import {
  branchEnvironment,
  claimedHosts,
  environmentSettings,
  environmentUrl,
} from '../../control-plane/src/deploy/environment-settings.ts';

const vars = {
  PRODUCTION_BRANCH: 'trunk',
  PRODUCTION_URL: 'https://api.example.com',
  PREVIEW_URL_TEMPLATE: 'https://{slug}.preview.example.com',
};
const settings = environmentSettings(vars);

describe('environment settings', () => {
  it('derives environments from the configured production branch', () => {
    expect(branchEnvironment(settings, 'trunk')).toBe('production');
    expect(branchEnvironment(settings, 'main')).toBe('main');
    expect(branchEnvironment(settings, 'fix/Bug #12')).toBe('fix-bug-12');
  });

  it('gives production its URL and a preview the filled template', () => {
    expect(environmentUrl(settings, 'production')).toBe('https://api.example.com');
    expect(environmentUrl(settings, 'fix-bug-12')).toBe('https://fix-bug-12.preview.example.com');
  });

  it("adds a preview's URL host to its config hosts once, and nothing to production's", () => {
    expect(claimedHosts(settings, 'production', ['api.example.com'])).toEqual(['api.example.com']);
    expect(claimedHosts(settings, 'pr-7', ['a.test'])).toEqual(['a.test', 'pr-7.preview.example.com']);
    expect(claimedHosts(settings, 'pr-7', ['pr-7.preview.example.com'])).toEqual([
      'pr-7.preview.example.com',
    ]);
  });

  it('rejects a template without {slug} in its host, and URLs that are not http(s)', () => {
    for (const PREVIEW_URL_TEMPLATE of [
      'https://preview.example.com/{slug}',
      'ftp://{slug}.example.com',
      '{slug}',
    ]) {
      expect(() => environmentSettings({ ...vars, PREVIEW_URL_TEMPLATE })).toThrow(/PREVIEW_URL_TEMPLATE/);
    }
    expect(() => environmentSettings({ ...vars, PRODUCTION_URL: 'localhost' })).toThrow(/PRODUCTION_URL/);
    expect(() => environmentSettings({ ...vars, PRODUCTION_BRANCH: '' })).toThrow(/PRODUCTION_BRANCH/);
  });
});
