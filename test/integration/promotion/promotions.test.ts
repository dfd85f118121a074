/** Promotions on MariaDB: create, edit, list, show, archive; validation names every problem at once. */
import { ConflictError, NotFoundError, ValidationError } from '../../../src/domain/errors';
import {
  archivePromotion,
  createPromotion,
  editPromotion,
  getPromotion,
  listPromotions,
} from '../../../src/promotions/promotions';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { NOW } from './world';

let throwaway: ThrowawayDb;
beforeAll(async () => {
  throwaway = await createThrowawayDb();
});
afterAll(async () => {
  await throwaway.drop();
});

describe('promotions', () => {
  it('creates a promotion with its window, type and per-client limit, and shows it', async () => {
    const created = await createPromotion(
      throwaway.db,
      {
        internalName: 'together-1y',
        clientName: 'Together for 1 year',
        kind: 'discount',
        startsAt: '2026-12-01',
        endsAt: '2027-01-01 00:00',
        perClientLimit: 2,
      },
      NOW,
    );
    expect(await getPromotion(throwaway.db, created.id)).toMatchObject({
      project: 1,
      internalName: 'together-1y',
      clientName: 'Together for 1 year',
      kind: 'discount',
      startsAt: '2026-12-01 00:00:00',
      endsAt: '2027-01-01 00:00:00',
      perClientLimit: 2,
      status: 'draft',
      createdAt: '2026-12-02 12:00:00',
    });
  });

  it('reports every problem of an input at once', async () => {
    const attempt = createPromotion(
      throwaway.db,
      {
        internalName: ' ',
        clientName: '',
        kind: 'gift',
        startsAt: '2026-12-10',
        endsAt: '2026-12-01',
        perClientLimit: 0,
      },
      NOW,
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const err = (await attempt.catch((e: unknown) => e)) as ValidationError;
    expect(err.problems).toEqual([
      'the internal name is required',
      'the name shown to clients is required',
      "the type must be one of discount, certificate (got 'gift')",
      'the end must be after the start',
      'the usage limit per client must be a positive whole number (or none)',
    ]);
    await expect(
      createPromotion(
        throwaway.db,
        { internalName: 'x', clientName: 'X', kind: 'discount', startsAt: '2026-02-30' },
        NOW,
      ),
    ).rejects.toThrow("the start '2026-02-30' is not a date");
  });

  it('refuses a second promotion of the provider with the same internal name', async () => {
    await createPromotion(throwaway.db, { internalName: 'dup', clientName: 'A', kind: 'discount' }, NOW);
    await expect(
      createPromotion(throwaway.db, { internalName: 'dup', clientName: 'B', kind: 'certificate' }, NOW),
    ).rejects.toThrow(new ConflictError('promotion', "provider 1 already has a promotion named 'dup'"));
    const other = await createPromotion(
      throwaway.db,
      { internalName: 'dup', clientName: 'B', kind: 'certificate', project: 2 },
      NOW,
    );
    expect(other.project).toBe(2);
  });

  it('edits what is given, validates the whole, and archives for good', async () => {
    const p = await createPromotion(
      throwaway.db,
      { internalName: 'edit-me', clientName: 'A', kind: 'discount' },
      NOW,
    );
    const later = new Date(2026, 11, 3, 9, 30, 0);
    const edited = await editPromotion(
      throwaway.db,
      p.id,
      { clientName: 'Spring sale', status: 'active' },
      later,
    );
    expect(edited).toMatchObject({ internalName: 'edit-me', clientName: 'Spring sale', status: 'active' });
    expect(edited.updatedAt).toBe('2026-12-03 09:30:00');
    await expect(
      editPromotion(throwaway.db, p.id, { endsAt: 'soon', status: 'gone' }, later),
    ).rejects.toThrow(/the status must be one of draft, active, archived.*the end 'soon' is not a date/);
    expect((await archivePromotion(throwaway.db, p.id, later)).status).toBe('archived');
    expect((await archivePromotion(throwaway.db, p.id, later)).status).toBe('archived');
    await expect(editPromotion(throwaway.db, p.id, { clientName: 'Again' }, later)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await listPromotions(throwaway.db, { status: 'archived' })).map((x) => x.id)).toEqual([p.id]);
    await expect(getPromotion(throwaway.db, 999999)).rejects.toBeInstanceOf(NotFoundError);
  });
});
