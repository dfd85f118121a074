/** Reading the selling service lists and the service import name mask. */
import { SellingXmlError } from '../../../src/billmgr-api/types';
import { nameMatcher } from '../../../src/reseller/services/import-services';
import { parseSellingService } from '../../../src/reseller/services/selling-services';

describe('parseSellingService', () => {
  it('reads a list elem, with IP addresses given comma-separated or one per element', () => {
    const elem = {
      id: '1001',
      remoteid: '7',
      name: 'web-1',
      status: '2',
      pricelist: '11',
      period: '12',
      expiredate: '2027-01-01',
      opendate: '2026-01-01 10:00:00',
      ip: '198.51.100.10,198.51.100.11',
      username: 'site',
      panelid: 'vds-1001',
    };
    expect(parseSellingService(elem, 'vds')).toEqual({
      id: '1001',
      remoteid: '7',
      name: 'web-1',
      status: 2,
      pricelist: '11',
      period: 12,
      expiredate: '2027-01-01',
      opendate: '2026-01-01',
      ips: ['198.51.100.10', '198.51.100.11'],
      username: 'site',
      panelid: 'vds-1001',
    });
    expect(
      parseSellingService({ ...elem, ip: ['198.51.100.10', { _: '198.51.100.12' }] }, 'vds'),
    ).toMatchObject({ ips: ['198.51.100.10', '198.51.100.12'] });
  });

  it('ignores fields it does not know, such as a newer version would send', () => {
    expect(
      parseSellingService({ id: '9', status: '2', costperiod: '12', tparams: { elid: '9' } }, 'vds'),
    ).toMatchObject({ id: '9', status: 2, name: '', ips: [] });
  });

  it('sets aside a service without an id or a status, naming it, instead of failing the list', () => {
    const noId = parseSellingService({ name: 'x', status: '2', remoteid: '17' }, 'vds');
    expect(noId).toMatchObject({ id: '', remoteid: '17' });
    expect('error' in noId && noId.error).toBeInstanceOf(SellingXmlError);
    const noStatus = parseSellingService({ id: '5', status: '' }, 'vds');
    expect('error' in noStatus && noStatus.error.message).toMatch(
      /service 5: <status> '' is not a status code/,
    );
  });
});

describe('nameMatcher', () => {
  it('matches everything without a mask', () => {
    expect(nameMatcher(undefined)('anything')).toBe(true);
    expect(nameMatcher('*')('anything')).toBe(true);
  });

  it('takes * as any text over the whole name, case-insensitively, and everything else literally', () => {
    const match = nameMatcher('web*.example.com');
    expect(match('WEB1.example.com')).toBe(true);
    expect(match('web1.example.com.evil')).toBe(false);
    expect(match('web1Xexample.com')).toBe(false);
  });

  it('matches names containing a mask without *', () => {
    expect(nameMatcher('shop')('my-shop-1')).toBe(true);
    expect(nameMatcher('shop')('blog')).toBe(false);
  });
});
