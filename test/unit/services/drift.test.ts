/** Which drift between a local service and its selling service is repaired, and by which core callback. */
import { findDrift } from '../../../src/reseller/services/drift';

const ACTIVE = 2;
const SUSPENDED = 3;
const DELETED = 4;

describe('findDrift', () => {
  it('finds nothing when status and expiry agree', () => {
    expect(
      findDrift({ status: ACTIVE, expiredate: '2027-01-01' }, { status: ACTIVE, expiredate: '2027-01-01' }),
    ).toEqual({
      repairs: [],
      unrepairable: [],
    });
  });

  it.each([
    [1, ACTIVE, 'service.postopen'],
    [5, ACTIVE, 'service.postopen'],
    [SUSPENDED, ACTIVE, 'service.postresume'],
    [ACTIVE, SUSPENDED, 'service.postsuspend'],
    [1, SUSPENDED, 'service.postsuspend'],
    [ACTIVE, DELETED, 'service.postclose'],
    [SUSPENDED, DELETED, 'service.postclose'],
  ])('status %i here, %i there: repaired with %s', (local, selling, callback) => {
    const { repairs } = findDrift({ status: local, expiredate: null }, { status: selling, expiredate: '' });
    expect(repairs).toEqual([{ field: 'status', from: local, to: selling, callback }]);
  });

  it('leaves a service still being set up on the selling side to its events', () => {
    expect(findDrift({ status: ACTIVE, expiredate: null }, { status: 1, expiredate: '' }).repairs).toEqual(
      [],
    );
    expect(findDrift({ status: ACTIVE, expiredate: null }, { status: 5, expiredate: '' }).repairs).toEqual(
      [],
    );
  });

  it('never brings a service deleted here back to life: reported, not repaired', () => {
    const drift = findDrift(
      { status: DELETED, expiredate: '2027-01-01' },
      { status: ACTIVE, expiredate: '2027-01-01' },
    );
    expect(drift.repairs).toEqual([]);
    expect(drift.unrepairable).toEqual([
      expect.objectContaining({ field: 'status', from: DELETED, to: ACTIVE }),
    ]);
  });

  it('copies the selling expiry date, but never an unset one', () => {
    expect(
      findDrift({ status: ACTIVE, expiredate: '2027-01-01' }, { status: ACTIVE, expiredate: '2027-04-01' })
        .repairs,
    ).toEqual([
      { field: 'expiredate', from: '2027-01-01', to: '2027-04-01', callback: 'service.setexpiredate' },
    ]);
    expect(
      findDrift({ status: ACTIVE, expiredate: null }, { status: ACTIVE, expiredate: '2027-04-01' }).repairs,
    ).toEqual([{ field: 'expiredate', from: '', to: '2027-04-01', callback: 'service.setexpiredate' }]);
    expect(
      findDrift({ status: ACTIVE, expiredate: '2027-01-01' }, { status: ACTIVE, expiredate: '' }).repairs,
    ).toEqual([]);
  });
});
