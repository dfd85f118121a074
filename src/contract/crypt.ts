/** Crypted host parameters (`processingcryptedparam`, `itemcryptedparam`): base64 of RSA PKCS#1 v1.5 under the host's key. */
import { constants, createPrivateKey, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { HostError } from './errors';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decrypts a value the host stored with its key (the file paramlist names as CryptKey).
 *
 * Why raw RSA plus our own unpadding, and not crypto.privateDecrypt with RSA_PKCS1_PADDING: since
 * CVE-2023-46809 (the Marvin attack) Node 20 refuses that padding in privateDecrypt. The attack needs a
 * decryption oracle: an attacker who submits chosen ciphertexts and times the answers. This plugin only
 * decrypts values the host itself stored in its own database; no attacker-supplied ciphertext reaches this
 * function, so the timing side channel does not apply. We do not start Node with
 * --security-revert=CVE-2023-46809, which would weaken every PKCS#1 v1.5 decryption in the process, and we no
 * longer use node-forge's pure-JS RSA: it cost 40-70 ms per handler start (load and one 2048-bit decryption),
 * where OpenSSL's raw RSA (RSA_NO_PADDING, still allowed) takes under a millisecond.
 *
 * Errors never contain the input or the key: both are secrets.
 */
export function decryptCryptedParam(base64: string, privateKeyPem: string): string {
  const cipherText = base64.replace(/\s+/g, '');
  if (!BASE64.test(cipherText) || cipherText.length % 4 !== 0) {
    throw cryptError('the crypted value is not base64');
  }
  const key = readPrivateKey(privateKeyPem);
  let encoded: Buffer;
  try {
    encoded = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(cipherText, 'base64'));
  } catch {
    throw cryptError('the crypted value is not RSA PKCS#1 v1.5 under this key');
  }
  return removePkcs1v15Padding(encoded).toString('utf8');
}

/** EME-PKCS1-v1_5 decoding (RFC 8017, 7.2.2): 0x00 0x02, at least 8 non-zero padding bytes, 0x00, the message. */
function removePkcs1v15Padding(encoded: Buffer): Buffer {
  const separator = encoded.indexOf(0x00, 2);
  if (encoded[0] !== 0x00 || encoded[1] !== 0x02 || separator < 10) {
    throw cryptError('the crypted value is not RSA PKCS#1 v1.5 under this key');
  }
  return encoded.subarray(separator + 1);
}

/** Encrypts the way the host stores a crypted parameter (the stand-in and test fixtures use it). */
export function encryptCryptedParam(plain: string, publicKeyPem: string): string {
  return publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(plain, 'utf8'),
  ).toString('base64');
}

function readPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    throw cryptError('the CryptKey file is not an unencrypted RSA private key in PEM');
  }
}

function cryptError(why: string): HostError {
  return new HostError('crypt', 'cryptedparam', `cannot decrypt a crypted parameter: ${why}`);
}
