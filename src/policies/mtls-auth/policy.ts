/**
 * `mtls-auth`: accepts requests whose TLS client certificate Cloudflare's edge verified,
 * as it reports in `request.cf.tlsClientAuth` (set by the edge from the handshake; no
 * header a client sends can forge it), and sets the consumer to the certificate's
 * subject. The pinned fingerprints, subjects and issuers become sets at deployment load.
 *
 * No certificate: 401 with a `ClientCertificate` challenge (docs/policies/mtls-auth.md
 * says why that scheme). A certificate that is presented but unverified, revoked or not
 * pinned: 403, since presenting another one takes a new TLS connection, not a retry.
 */
import { forbidden, unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { createForwarder } from '../../identity/forwarding.ts';
import type { PolicyContext, PolicyFactory } from '../contract.ts';
import type { MtlsAuthOptions } from './schema.ts';

type ClientCertificate = IncomingRequestCfPropertiesTLSClientAuth;
type Refusal =
  | 'not-verified'
  | 'revoked'
  | 'fingerprint-not-pinned'
  | 'subject-not-pinned'
  | 'issuer-not-pinned';

const CHALLENGE = { scheme: 'ClientCertificate', params: { realm: 'edgeway' } };
const MISSING_DETAIL = 'This resource requires a TLS client certificate; connect again presenting one.';
const REFUSED_DETAIL = 'The TLS client certificate presented is not accepted here.';

export const create: PolicyFactory<MtlsAuthOptions> = (options, { name }) => {
  const fingerprints = options.fingerprints && new Set(options.fingerprints);
  const subjects = options.subjects && new Set(options.subjects);
  const issuers = options.issuers && new Set(options.issuers);
  const forwardConsumer = createForwarder(options.forwardHeaders);

  function refusal(certificate: ClientCertificate, fingerprint: string): Refusal | undefined {
    if (certificate.certVerified !== 'SUCCESS') return 'not-verified';
    if (certificate.certRevoked === '1') return 'revoked';
    if (fingerprints && !fingerprints.has(fingerprint)) return 'fingerprint-not-pinned';
    if (subjects && !subjects.has(certificate.certSubjectDN)) return 'subject-not-pinned';
    if (issuers && !issuers.has(certificate.certIssuerDN)) return 'issuer-not-pinned';
    return undefined;
  }

  async function authenticateClientCertificate(
    request: Request,
    ctx: PolicyContext,
  ): Promise<Request | Response> {
    const certificate = presentedCertificate(request);
    if (!certificate) {
      if (!options.allowAnonymous) return unauthorized(ctx.requestId, CHALLENGE, MISSING_DETAIL);
      forwardConsumer(request.headers, undefined);
      return request;
    }
    const fingerprint = certificate.certFingerprintSHA256.replaceAll(':', '').toLowerCase();
    const refused = refusal(certificate, fingerprint);
    if (refused) {
      ctx.log.info('mtls-auth refused a client certificate', {
        policy: name,
        reason: refused,
        verification: certificate.certVerified,
        fingerprint,
      });
      return forbidden(ctx.requestId, REFUSED_DETAIL);
    }
    const consumer = certificateConsumer(certificate, fingerprint);
    ctx.data.set(CONSUMER, consumer);
    forwardConsumer(request.headers, consumer);
    return request;
  }

  return { inbound: authenticateClientCertificate };
};

/** The edge's report of the client certificate, when one was presented. */
function presentedCertificate(request: Request): ClientCertificate | undefined {
  // Outside Cloudflare's edge (local development), `cf` may lack tlsClientAuth altogether.
  const tls = (request.cf as IncomingRequestCfProperties | undefined)?.tlsClientAuth;
  return tls?.certPresented === '1' ? tls : undefined;
}

/** Identified by the subject DN; by the fingerprint for a certificate with an empty subject. */
function certificateConsumer(certificate: ClientCertificate, fingerprint: string): Consumer {
  const id = certificate.certSubjectDN || `sha256:${fingerprint}`;
  return {
    id,
    name: id,
    method: 'mtls',
    tags: [],
    metadata: {},
    scopes: [],
    claims: {
      subject: certificate.certSubjectDN,
      issuer: certificate.certIssuerDN,
      fingerprintSha256: fingerprint,
      serial: certificate.certSerial,
      notBefore: certificate.certNotBefore,
      notAfter: certificate.certNotAfter,
    },
  };
}
