/** Promo-code templates that can give two partners the same code (issue 13). */
import { promoCodeFor } from '../../../src/domain/affiliate/codes';
import { templateCollision } from '../../../src/domain/affiliate/template-collision';

describe('templateCollision', () => {
  it('finds Q@ID@ and Q1@ID@: partner 11 of the first and partner 1 of the second both get Q11', () => {
    expect(templateCollision('Q@ID@', 'Q1@ID@')).toEqual({ firstId: 11, secondId: 1, code: 'Q11' });
    expect(templateCollision('Q1@ID@', 'Q@ID@')).toEqual({ firstId: 1, secondId: 11, code: 'Q11' });
  });

  it('compares codes upper-cased, as they are stored', () => {
    expect(templateCollision('q@ID@', 'Q1@ID@')).toMatchObject({ code: 'Q11' });
  });

  it('finds collisions through a suffix and through two macros', () => {
    // A@ID@7 with 1 -> A17; A1@ID@ with 7 -> A17.
    expect(templateCollision('A@ID@7', 'A1@ID@')).toEqual({ firstId: 1, secondId: 7, code: 'A17' });
    // 11-11 both ways: partner 11 of the first, partner 1 of the second.
    expect(templateCollision('@ID@-@ID@', '1@ID@-1@ID@')).toEqual({
      firstId: 11,
      secondId: 1,
      code: '11-11',
    });
    // 1-1 needs the same id under both templates: never two partners.
    expect(templateCollision('@ID@-@ID@', '1-@ID@')).toBeUndefined();
  });

  it('lets templates be that never meet, and the same template twice (ids are never shared)', () => {
    expect(templateCollision('Q@ID@', 'R@ID@')).toBeUndefined();
    expect(templateCollision('Q@ID@', 'Q@ID@')).toBeUndefined();
    expect(templateCollision('Q@ID@X', 'Q@ID@Y')).toBeUndefined();
    // Q0@ID@ would need the first template's id to start with 0.
    expect(templateCollision('Q@ID@', 'Q0@ID@')).toBeUndefined();
    expect(templateCollision('P@ID@', 'PX@ID@')).toBeUndefined();
  });

  it('agrees with a brute force over ids 1..300 on a few pairs', () => {
    const pairs: Array<[string, string]> = [
      ['Q@ID@', 'Q1@ID@'],
      ['Q@ID@5', 'Q@ID@'],
      ['@ID@0', '@ID@'],
      ['X@ID@Y', 'X1@ID@Y'],
      ['AB@ID@', 'A@ID@'],
      ['Z@ID@', 'Z@ID@'],
    ];
    for (const [a, b] of pairs) {
      const codes = new Map<string, number>();
      for (let j = 1; j <= 300; j += 1) codes.set(promoCodeFor(b, j), j);
      let brute = false;
      for (let i = 1; i <= 300 && !brute; i += 1) {
        const j = codes.get(promoCodeFor(a, i));
        brute = j !== undefined && j !== i;
      }
      const found = templateCollision(a, b);
      if (brute) expect(found).toBeDefined();
      if (found) expect(promoCodeFor(a, found.firstId)).toBe(promoCodeFor(b, found.secondId));
    }
  });
});
