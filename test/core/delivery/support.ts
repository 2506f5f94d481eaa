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
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = keys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(Date.now() - 86_400_000);
  ca.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000);
  const caName = [{ name: 'commonName', value: 'Test WWDR CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }]);
  ca.sign(keys.privateKey, forge.md.sha256.create());
  const signerKeys = forge.pki.rsa.generateKeyPair(2048);
  const signer = forge.pki.createCertificate();
  signer.publicKey = signerKeys.publicKey;
  signer.serialNumber = '02';
  signer.validity.notBefore = ca.validity.notBefore;
  signer.validity.notAfter = ca.validity.notAfter;
  signer.setSubject([{ name: 'commonName', value: 'Pass Type ID: pass.test.guichet' }]);
  signer.setIssuer(caName);
  signer.setExtensions([{ name: 'keyUsage', digitalSignature: true }]);
  signer.sign(keys.privateKey, forge.md.sha256.create());
  const file = (name: string, pem: string) => {
    fs.writeFileSync(path.join(dir, name), pem);
    return path.join(dir, name);
  };
  return {
    wwdr: file('wwdr.pem', forge.pki.certificateToPem(ca)),
    certificate: file('pass-cert.pem', forge.pki.certificateToPem(signer)),
    key: file('pass-key.pem', forge.pki.privateKeyToPem(signerKeys.privateKey)),
  };
}
