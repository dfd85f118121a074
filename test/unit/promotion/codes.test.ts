/** Code templates, keys, the random source and the space check: the pure side of promo codes and certificates. */
import { checkSpace } from '../../../src/domain/promotion/codes/space';
import { pickFromBytes, cryptoPick } from '../../../src/domain/promotion/codes/random';
import {
  ALPHANUMERIC_ALPHABET,
  DIGIT_ALPHABET,
  codeKey,
  codeSpace,
  fillTemplate,
  keyedFiller,
  parseTemplate,
  templateProblems,
} from '../../../src/domain/promotion/codes/template';
import { validateCertificateBatch, validateCodeBatch } from '../../../src/domain/promotion/codes/batch';
import { ValidationError } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';

describe('the alphabets', () => {
  it('never put a character a client could misread into a generated code', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(ALPHANUMERIC_ALPHABET).not.toContain(ambiguous);
    expect(new Set(ALPHANUMERIC_ALPHABET).size).toBe(31);
    expect(DIGIT_ALPHABET).toBe('0123456789');
  });

  it('every character of the alphabets is its own key (nothing folds onto another)', () => {
    for (const c of ALPHANUMERIC_ALPHABET + DIGIT_ALPHABET) expect(codeKey(c)).toBe(c);
  });
});

describe('the key of a code', () => {
  it('folds case, spaces, hyphens and look-alike characters', () => {
    expect(codeKey('spring-0I')).toBe('SPR1NG01');
    expect(codeKey(' sprlng o1 ')).toBe('SPR1NG01');
    expect(codeKey('SPRING-OL')).toBe(codeKey('spring 01'));
  });
});

describe('templates', () => {
  it("fills each '?' from the alphabet and upper-cases the fixed part", () => {
    const template = parseTemplate('sale-???', { digitsOnly: true });
    let n = 0;
    expect(fillTemplate(template, () => n++)).toBe('SALE-012');
    expect(template.randomPositions).toBe(3);
    expect(codeSpace(template)).toBe(1000n);
  });

  it('gives with each generated code the key codeKey folds it to', () => {
    const pick = cryptoPick();
    for (const [text, digitsOnly] of [
      ['sale-lo-????', false],
      ['IOL_??-??', true],
    ] as const) {
      const template = parseTemplate(text, { digitsOnly });
      const fill = keyedFiller(template);
      for (let i = 0; i < 200; i += 1) {
        const { code, key } = fill(pick);
        expect(key).toBe(codeKey(code));
        expect(code.length).toBe(text.length);
      }
    }
  });

  it('names every problem of a bad template', () => {
    expect(templateProblems('')).toEqual(['the template is empty']);
    expect(templateProblems('A B?')).toEqual([
      "the template may hold only letters, digits, '-', '_' and '?'",
    ]);
    expect(templateProblems('?'.repeat(65))).toEqual(['the template is longer than 64 characters']);
    expect(templateProblems('---')).toEqual(['the template has no character that identifies a code']);
  });
});

describe('the random source', () => {
  it('draws every index equally often from a full cycle of bytes: no modulo bias', () => {
    let byte = 0;
    const pick = pickFromBytes(() => byte++ % 256);
    const counts = new Array<number>(31).fill(0);
    // 256 bytes give 248 accepted draws, 8 per index; 248..255 are drawn again.
    for (let i = 0; i < 248; i += 1) {
      const index = pick(31);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    expect(counts).toEqual(new Array<number>(31).fill(8));
    expect(byte).toBe(248);
    expect(pick(31)).toBe(0); // bytes 248..255 rejected, 0 taken
    expect(byte).toBe(257);
  });

  it('draws from crypto.randomBytes within the alphabet', () => {
    const pick = cryptoPick(16);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const index = pick(10);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(10);
      seen.add(index);
    }
    expect(seen.size).toBe(10);
  });
});

describe('the code space against the count', () => {
  const digits = (text: string) => parseTemplate(text, { digitsOnly: true });

  it('refuses a template that cannot hold the count', () => {
    const check = checkSpace(digits('A??'), 101);
    expect(check.space).toBe(100n);
    expect(check.refusal).toMatch(/makes 100 different codes: it cannot hold 101 more/);
    expect(checkSpace(digits('A??'), 10, 95).refusal).toMatch(/95 taken already.*room for 5/);
  });

  it('warns with the odds of a guess when more than 1/10,000 of the space would be taken', () => {
    const check = checkSpace(digits('??????'), 200);
    expect(check.refusal).toBeUndefined();
    expect(check.warning).toMatch(
      /makes 1000000 different codes; with 200 of them valid, one guess in 5000 finds a code/,
    );
    expect(checkSpace(digits('??????'), 100).warning).toBeUndefined();
  });
});

describe('batch settings', () => {
  it('collects every problem of a promo code batch at once', () => {
    const attempt = () =>
      validateCodeBatch({
        promotion: 3,
        template: 'A B',
        digitsOnly: false,
        count: 0,
        usesLimit: 0,
        activeFrom: '2026-12-10',
        activeUntil: '2026-12-01',
        discountPeriod: { type: 'month', length: 0 },
      });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (err) {
      expect((err as ValidationError).problems).toEqual([
        "the template may hold only letters, digits, '-', '_' and '?'",
        'the number of codes must be from 1 to 10000000',
        'the usage limit must be a whole number of at least 1',
        'the activation window ends before it starts',
        "the discount period's length must be a whole number of at least 1",
      ]);
    }
  });

  it('makes certificates digits only', () => {
    const batch = validateCertificateBatch({
      promotion: 1,
      template: 'GIFT-????',
      count: 5,
      amount: { kind: 'fixed', amount: money(2500n, 'USD') },
    });
    expect(batch.template.alphabet).toBe(DIGIT_ALPHABET);
    expect(() =>
      validateCertificateBatch({
        promotion: 1,
        template: 'G??',
        count: 1,
        amount: { kind: 'last_payment', percent: '0' },
      }),
    ).toThrow(/the percentage '0' is not a number above zero/);
  });
});
