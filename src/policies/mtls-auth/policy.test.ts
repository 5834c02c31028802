/**
 * mtls-auth in workerd. Requests carry `cf.tlsClientAuth` as Cloudflare's edge sets it
 * after the TLS handshake (the one edge-only input these tests stand in for), both on
 * the policy directly and through the gateway, whose request copies must keep it.
 */
import { describe, expect, it } from 'vitest';
import { echoOf } from '../../../test/data-plane/helpers/echo.ts';
import { gatewayGuardedBy } from '../../../test/data-plane/helpers/guarded-gateway.ts';
import { policyContext } from '../../../test/data-plane/helpers/policy-context.ts';
import { policyDeps } from '../../../test/data-plane/helpers/policy-deps.ts';
import { expectProblem } from '../../../test/data-plane/helpers/problems.ts';
import { expectPassed, expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import { CONSUMER } from '../../identity/consumer.ts';
import { create } from './policy.ts';
import { type MtlsAuthOptions, mtlsAuthSchema } from './schema.ts';

const FINGERPRINT = '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592';
const SUBJECT = 'CN=billing.partner.example, O=Partner Ltd, C=GB';
const ISSUER = 'CN=Edgeway Test Client CA, O=Edgeway';
const CHALLENGE = 'ClientCertificate realm="edgeway"';
const UNAUTHORIZED = { status: 401, slug: 'unauthorized', challenge: CHALLENGE };
const FORBIDDEN = { status: 403, slug: 'forbidden' };

/** What the edge reports for a presented certificate; `certVerified` is SUCCESS unless overridden. */
function presented(overrides: Partial<IncomingRequestCfPropertiesTLSClientAuth> = {}) {
  const tlsClientAuth: IncomingRequestCfPropertiesTLSClientAuth = {
    certPresented: '1',
    certVerified: 'SUCCESS',
    certRevoked: '0',
    certIssuerDN: ISSUER,
    certSubjectDN: SUBJECT,
    certIssuerDNRFC2253: 'O=Edgeway,CN=Edgeway Test Client CA',
    certSubjectDNRFC2253: 'C=GB,O=Partner Ltd,CN=billing.partner.example',
    certIssuerDNLegacy: `/${ISSUER}`,
    certSubjectDNLegacy: `/${SUBJECT}`,
    certSerial: '00936EACBE07F201DF',
    certIssuerSerial: '2489002934BDFEA34',
    certSKI: 'BB:AF:7E:02:3D:FA:A6:F1:3C:84:8E:AD:EE:38:98:EC:D9:32:32:D4',
    certIssuerSKI: 'AA:AF:7E:02:3D:FA:A6:F1:3C:84:8E:AD:EE:38:98:EC:D9:32:32:D4',
    certFingerprintSHA1: '6b9109f323999e52259cda7373ff0b4d26bd232e',
    certFingerprintSHA256: FINGERPRINT,
    certNotBefore: 'Dec 22 19:39:00 2025 GMT',
    certNotAfter: 'Dec 22 19:39:00 2027 GMT',
    certRFC9440: '',
    certRFC9440TooLarge: false,
    certChainRFC9440: '',
    certChainRFC9440TooLarge: false,
    ...overrides,
  } as IncomingRequestCfPropertiesTLSClientAuth;
  return { tlsClientAuth } as unknown as IncomingRequestCfProperties;
}

/** What the edge reports when no certificate was presented. */
const NOT_PRESENTED = {
  tlsClientAuth: {
    ...presented().tlsClientAuth,
    certPresented: '0',
    certVerified: 'NONE',
    certSubjectDN: '',
  },
} as unknown as IncomingRequestCfProperties;

async function send(
  options: Partial<Record<keyof MtlsAuthOptions, unknown>>,
  cf: IncomingRequestCfProperties | undefined,
  headers: HeadersInit = {},
) {
  const { inbound } = create(mtlsAuthSchema.parse(options), policyDeps('partners'));
  const ctx = policyContext();
  const result = await inbound!(new Request('https://api.example/invoices', { cf, headers }), ctx);
  return { result, consumer: ctx.data.get(CONSUMER), logs: ctx.logs };
}

describe('mtls-auth', () => {
  it('accepts a verified, pinned certificate, with its subject as the consumer', async () => {
    const pinned = {
      fingerprints: [FINGERPRINT.toUpperCase().replace(/(..)(?!$)/g, '$1:')],
      subjects: [SUBJECT],
      issuers: [ISSUER],
      forwardHeaders: { id: 'x-client' },
    };
    const { result, consumer } = await send(pinned, presented(), { 'x-client': 'CN=forged' });
    const passed = await expectPassed(result);
    expect(passed.headers.get('x-client')).toBe(SUBJECT);
    expect(consumer).toEqual({
      id: SUBJECT,
      name: SUBJECT,
      method: 'mtls',
      tags: [],
      metadata: {},
      scopes: [],
      claims: {
        subject: SUBJECT,
        issuer: ISSUER,
        fingerprintSha256: FINGERPRINT,
        serial: '00936EACBE07F201DF',
        notBefore: 'Dec 22 19:39:00 2025 GMT',
        notAfter: 'Dec 22 19:39:00 2027 GMT',
      },
    });
  });

  it('accepts any certificate the edge verified when nothing is pinned', async () => {
    const { consumer } = await send({}, presented({ certSubjectDN: 'CN=anyone' }));
    expect(consumer?.id).toBe('CN=anyone');
  });

  it('names a certificate without a subject by its fingerprint', async () => {
    const { consumer } = await send({}, presented({ certSubjectDN: '' }));
    expect(consumer?.id).toBe(`sha256:${FINGERPRINT}`);
  });

  it('asks for a certificate when none was presented', async () => {
    for (const cf of [NOT_PRESENTED, undefined]) {
      const { result } = await send({}, cf);
      const detail = await expectRefusal(result, UNAUTHORIZED);
      expect(detail).toBe('This resource requires a TLS client certificate; connect again presenting one.');
    }
  });

  it('lets a request without a certificate pass anonymous when allowed', async () => {
    const options = { allowAnonymous: true, forwardHeaders: { id: 'x-client' } };
    const { result, consumer } = await send(options, NOT_PRESENTED, { 'x-client': 'CN=forged' });
    const passed = await expectPassed(result);
    expect(consumer).toBeUndefined();
    expect(passed.headers.get('x-client')).toBeNull();
  });

  it('forbids a certificate the edge did not verify or found revoked, also when anonymous requests are allowed', async () => {
    const refused = [
      presented({ certVerified: 'FAILED:self signed certificate' }),
      presented({ certVerified: 'FAILED:certificate has expired' }),
      presented({ certRevoked: '1' }),
    ];
    for (const cf of refused) {
      const { result, consumer, logs } = await send({ allowAnonymous: true }, cf);
      await expectRefusal(result, FORBIDDEN);
      expect(consumer).toBeUndefined();
      expect(logs.map((line) => line.message)).toEqual(['mtls-auth refused a client certificate']);
    }
  });

  it('forbids a verified certificate that is not pinned', async () => {
    const cases: [Partial<Record<keyof MtlsAuthOptions, unknown>>, string][] = [
      [{ fingerprints: ['00'.repeat(32)] }, 'fingerprint-not-pinned'],
      [{ subjects: ['CN=billing.partner.example'] }, 'subject-not-pinned'],
      [{ issuers: ['CN=Some Other CA'] }, 'issuer-not-pinned'],
    ];
    for (const [options, reason] of cases) {
      const { result, logs } = await send(options, presented());
      await expectRefusal(result, FORBIDDEN);
      expect(logs[0]?.fields.reason).toBe(reason);
    }
  });

  it('refuses fingerprints that are not 32 bytes of hex', () => {
    for (const fingerprint of ['abc', FINGERPRINT.slice(2), `${FINGERPRINT}00`, 'zz'.repeat(32)]) {
      const parsed = mtlsAuthSchema.safeParse({ fingerprints: [fingerprint] });
      expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
        'expected a SHA-256 fingerprint: 64 hexadecimal digits, optionally in colon-separated pairs',
      ]);
    }
  });
});

describe('mtls-auth through the gateway', () => {
  it('sees the edge report on the request the pipeline hands it', async () => {
    const options = mtlsAuthSchema.parse({ subjects: [SUBJECT], forwardHeaders: { name: 'x-client' } });
    const gw = await gatewayGuardedBy('mtls-auth', options);
    const echo = await echoOf(await gw.send('/guarded/invoices', { cf: presented() }));
    expect(echo.headers['x-client']).toBe(SUBJECT);

    const refused = await gw.send('/guarded/invoices', { cf: NOT_PRESENTED });
    await expectProblem(refused, 401, 'unauthorized');
    expect(refused.headers.get('www-authenticate')).toBe(CHALLENGE);
  });
});
