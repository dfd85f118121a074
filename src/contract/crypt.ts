/** Crypted host parameters (`processingcryptedparam`, `itemcryptedparam`): base64 of RSA PKCS#1 v1.5 under the host's key. */
import { constants, publicEncrypt } from 'node:crypto';
import forge from 'node-forge';
import { HostError } from './errors';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decrypts a value the host stored with its key (the file paramlist names as CryptKey).
 *
 * Why node-forge and not crypto.privateDecrypt: since CVE-2023-46809 (the Marvin attack) Node 20 refuses
 * RSA_PKCS1_PADDING in privateDecrypt. That attack needs a decryption oracle: an attacker who submits chosen
 * ciphertexts and times the answers. This plugin only decrypts values the host itself stored in its own
 * database, and no attacker-supplied ciphertext reaches this function, so the timing side channel does not
 * apply here. We do not start Node with --security-revert=CVE-2023-46809 instead, because that would weaken
 * every other PKCS#1 v1.5 decryption in the process, not just this one.
 *
 * Errors never contain the input or the key: both are secrets.
 */
export function decryptCryptedParam(base64: string, privateKeyPem: string): string {
  const cipherText = base64.replace(/\s+/g, '');
  if (!BASE64.test(cipherText) || cipherText.length % 4 !== 0) {
    throw cryptError('the crypted value is not base64');
  }
  const key = readPrivateKey(privateKeyPem);
  let plain: string;
  try {
    plain = key.decrypt(forge.util.decode64(cipherText), 'RSAES-PKCS1-V1_5');
  } catch {
    throw cryptError('the crypted value is not RSA PKCS#1 v1.5 under this key');
  }
  return Buffer.from(plain, 'binary').toString('utf8');
}

/** Encrypts the way the host stores a crypted parameter (the stand-in and test fixtures use it). */
export function encryptCryptedParam(plain: string, publicKeyPem: string): string {
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(plain, 'utf8'),
  ).toString('base64');
}

function readPrivateKey(pem: string): forge.pki.rsa.PrivateKey {
  try {
    return forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  } catch {
    throw cryptError('the CryptKey file is not an unencrypted RSA private key in PEM');
  }
}

function cryptError(why: string): HostError {
  return new HostError('crypt', 'cryptedparam', `cannot decrypt a crypted parameter: ${why}`);
}
