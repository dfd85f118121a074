/** How many times a client may use a promotion: its own limit, lowered by a condition that allows fewer. */
import { usesPerClientOf } from '../../../src/domain/promotion/conditions';

describe('uses per client', () => {
  it('has_service makes a promotion available once per client; other conditions leave its own limit', () => {
    expect(usesPerClientOf(3, ['registration_period', 'has_service'])).toBe(1);
    expect(usesPerClientOf(null, ['has_service'])).toBe(1);
    expect(usesPerClientOf(null, ['registration_period', 'client_groups'])).toBeNull();
    expect(usesPerClientOf(2, [])).toBe(2);
  });
});
