import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { HostError } from '../../src/contract/errors';
import { decryptCryptedParam, encryptCryptedParam } from '../../src/contract/crypt';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

describe('crypted host parameters', () => {
  it('decrypts what encryptCryptedParam stored, including non-ASCII text', () => {
    const stored = encryptCryptedParam('pässwörd: 密码 & <x>', publicKey);
    expect(stored).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(decryptCryptedParam(stored, privateKey)).toBe('pässwörd: 密码 & <x>');
  });

  it("decrypts a value encrypted with Node's publicEncrypt and PKCS#1 v1.5 padding, as the host stores it", () => {
    const stored = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from('s3cret'),
    );
    expect(decryptCryptedParam(stored.toString('base64'), privateKey)).toBe('s3cret');
  });

  it('accepts a PKCS#8 private key and base64 broken over lines', () => {
    const pkcs8 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const stored = encryptCryptedParam('wrapped', pkcs8.publicKey).replace(/(.{64})/g, '$1\n');
    expect(decryptCryptedParam(stored, pkcs8.privateKey)).toBe('wrapped');
  });

  it.each([
    ['not base64', 'hunter2-is-not-base64!'],
    ['base64 of the wrong length for the key', Buffer.from('hunter2-garbage').toString('base64')],
    ['a full-length block that is not PKCS#1 v1.5', Buffer.alloc(256, 7).toString('base64')],
  ])('refuses %s with a clear error that does not echo the input', (_what, input) => {
    let caught: unknown;
    try {
      decryptCryptedParam(input, privateKey);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HostError);
    const message = (caught as HostError).message;
    expect(message).toMatch(/^cannot decrypt a crypted parameter: /);
    expect(message).not.toContain(input);
    expect(message).not.toContain('hunter2');
  });

  it('refuses a value encrypted under another key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stored = encryptCryptedParam(
      'for someone else',
      other.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    expect(() => decryptCryptedParam(stored, privateKey)).toThrow(/not RSA PKCS#1 v1.5 under this key/);
  });

  it('says so when the key file is not a private key, without echoing it', () => {
    expect(() => decryptCryptedParam(encryptCryptedParam('x', publicKey), publicKey)).toThrow(
      'cannot decrypt a crypted parameter: the CryptKey file is not an unencrypted RSA private key in PEM',
    );
  });
});
