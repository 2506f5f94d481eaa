import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import forge from 'node-forge';

/** An SMTP server in this process: every message that arrives, parsed. */
export async function smtpServer() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** An Apple-like certificate chain made here: a CA standing for Apple's WWDR, and a pass certificate it signed. */
export function passCertificates(dir: string) {
  const ca = certificateAuthority('Test WWDR CA', '01', 5);
  const { cert: signer, keys: signerKeys } = issuedBy(ca, '02', [{ name: 'commonName', value: 'Pass Type ID: pass.test.guichet' }], [{ name: 'keyUsage', digitalSignature: true }]);
  const file = (name: string, pem: string) => {
    fs.writeFileSync(path.join(dir, name), pem);
    return path.join(dir, name);
  };
  return {
    wwdr: file('wwdr.pem', forge.pki.certificateToPem(ca.cert)),
    certificate: file('pass-cert.pem', forge.pki.certificateToPem(signer)),
    key: file('pass-key.pem', forge.pki.privateKeyToPem(signerKeys.privateKey)),
  };
}

/**
 * A stand-in for Apple's push service (APNs): a real HTTP/2 server over TLS, with a certificate
 * made here for 127.0.0.1, that asks for a client certificate signed by `clientCa` (the test's WWDR
 * stand-in, which signed the pass certificate) as Apple does. Every request is recorded with the
 * client certificate's subject; `answers` decides the status per push token (200 by default).
 */
export async function apnsServer(dir: string, clientCa: string) {
  const ca = certificateAuthority('Test APNs CA', '11', 1);
  const { cert: server, keys: serverKeys } = issuedBy(ca, '12', [{ name: 'commonName', value: '127.0.0.1' }], [
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    { name: 'extKeyUsage', serverAuth: true },
  ]);
  const caFile = path.join(dir, 'apns-ca.pem');
  fs.writeFileSync(caFile, forge.pki.certificateToPem(ca.cert));

  const received: { path: string; method: string; topic: string | undefined; body: string; clientSubject: string | undefined }[] = [];
  const answers = new Map<string, { status: number; reason?: string }[]>();
  const http2 = await import('node:http2');
  const tls = await import('node:tls');
  const h2 = http2.createSecureServer({
    key: forge.pki.privateKeyToPem(serverKeys.privateKey),
    cert: forge.pki.certificateToPem(server),
    ca: fs.readFileSync(clientCa, 'utf8'),
    requestCert: true,
    rejectUnauthorized: true,
  });
  h2.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const peer = (stream.session?.socket as InstanceType<typeof tls.TLSSocket>).getPeerCertificate();
      const path = String(headers[':path']);
      received.push({ path, method: String(headers[':method']), topic: headers['apns-topic'] as string | undefined, body: Buffer.concat(chunks).toString('utf8'), clientSubject: [peer?.subject?.CN].flat()[0] });
      const token = decodeURIComponent(path.replace(/^\/3\/device\//, ''));
      const answer = answers.get(token)?.shift() ?? { status: 200 };
      stream.respond({ ':status': answer.status, ...(answer.reason ? { 'content-type': 'application/json' } : {}) });
      stream.end(answer.reason ? JSON.stringify({ reason: answer.reason }) : undefined);
    });
  });
  await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
  const port = (h2.address() as AddressInfo).port;
  return {
    host: `https://127.0.0.1:${port}`,
    ca: caFile,
    received,
    /** The next answers for a push token, in order (then 200). */
    answer: (token: string, ...next: { status: number; reason?: string }[]) => answers.set(token, next),
    close: () => new Promise<void>((resolve) => h2.close(() => resolve())),
  };
}

/** A self-signed certificate authority made here, valid from yesterday for `years` years. */
function certificateAuthority(commonName: string, serialNumber: string, years: number) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 86_400_000);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, keys, name };
}

/** A certificate with a key pair of its own, signed by `ca`, valid as long as `ca`. */
function issuedBy(ca: ReturnType<typeof certificateAuthority>, serialNumber: string, subject: forge.pki.CertificateField[], extensions: object[]) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber;
  cert.validity.notBefore = ca.cert.validity.notBefore;
  cert.validity.notAfter = ca.cert.validity.notAfter;
  cert.setSubject(subject);
  cert.setIssuer(ca.name);
  cert.setExtensions(extensions);
  cert.sign(ca.keys.privateKey, forge.md.sha256.create());
  return { cert, keys };
}
