/**
 * The random characters of codes: a cryptographic source (crypto.randomBytes) without modulo bias. A byte is
 * kept only below the largest multiple of the alphabet's size that fits in a byte (rejection sampling), so every
 * character is equally likely: 256 % 31 = 8 of the 256 byte values are drawn again for the 31-character alphabet.
 */
import { randomBytes } from 'node:crypto';

/** A uniform index in [0, size): what a template's `?` is filled with. */
export type PickIndex = (size: number) => number;

/** Indexes from a source of bytes, by rejection sampling. */
export function pickFromBytes(nextByte: () => number): PickIndex {
  return (size) => {
    if (!Number.isInteger(size) || size < 1 || size > 256)
      throw new RangeError(`an alphabet of ${size} characters cannot be drawn from bytes`);
    const limit = 256 - (256 % size);
    for (;;) {
      const byte = nextByte();
      if (byte < limit) return byte % size;
    }
  };
}

/** Crypto-random indexes, read from a buffer of random bytes refilled as it runs out. */
export function cryptoPick(bufferBytes = 64 * 1024): PickIndex {
  let buffer = randomBytes(bufferBytes);
  let at = 0;
  return pickFromBytes(() => {
    if (at === buffer.length) {
      buffer = randomBytes(bufferBytes);
      at = 0;
    }
    const byte = buffer[at] ?? 0;
    at += 1;
    return byte;
  });
}
