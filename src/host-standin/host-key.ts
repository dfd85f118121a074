/** The stand-in host's RSA key, `<mgrdir>/etc/billmgr.pem`: what paramlist names as CryptKey. */
import { generateKeyPairSync, createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function hostKeyPath(mgrdir: string): string {
  return join(mgrdir, 'etc', 'billmgr.pem');
}

/**
 * Returns the key's path, generating a 2048-bit key pair on first use. Safe when two stand-ins start at once:
 * each writes its own temporary file and only the first hard link to the final name wins.
 */
export function ensureHostKey(mgrdir: string): string {
  const path = hostKeyPath(mgrdir);
  if (existsSync(path)) return path;
  mkdirSync(join(mgrdir, 'etc'), { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, privateKey, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temporary);
  }
  return path;
}

/** The public half of the key file, PEM: what the host encrypts crypted parameters with. */
export function publicKeyOf(keyPath: string): string {
  return createPublicKey(readFileSync(keyPath, 'utf8')).export({ type: 'spki', format: 'pem' }).toString();
}
