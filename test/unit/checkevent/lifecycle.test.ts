import { callbacksBetween, ItemStatus, lifecycleCallbacks, statusAfter } from '../../../src/events/lifecycle';

const { ordered, active, suspended, deleted, processing } = ItemStatus;

describe('statusAfter', () => {
  it.each([
    [ordered, ['setup'], active],
    [processing, ['setup'], active],
    [active, ['suspend'], suspended],
    [suspended, ['activate'], active],
    [active, ['delete'], deleted],
    [ordered, ['setup', 'suspend'], suspended],
    [active, ['suspend', 'activate'], active],
    [suspended, ['setup'], suspended],
    [deleted, ['activate'], deleted],
    [active, ['delete', 'setup'], deleted],
  ] as const)('from %i after %j is %i', (from, events, to) => {
    expect(statusAfter(from, events)).toBe(to);
  });
});

describe('lifecycleCallbacks', () => {
  it('opens an ordered service on setup', () => {
    expect(lifecycleCallbacks(ordered, ['setup'])).toEqual(['service.postopen']);
  });

  it('suspends, resumes and closes through the matching callbacks', () => {
    expect(lifecycleCallbacks(active, ['suspend'])).toEqual(['service.postsuspend']);
    expect(lifecycleCallbacks(suspended, ['activate'])).toEqual(['service.postresume']);
    expect(lifecycleCallbacks(suspended, ['delete'])).toEqual(['service.postclose']);
  });

  it('opens before it suspends a service set up and suspended in one batch', () => {
    expect(lifecycleCallbacks(ordered, ['setup', 'suspend'])).toEqual([
      'service.postopen',
      'service.postsuspend',
    ]);
  });

  it('makes no callback when the status already says what the events say (a re-run after a crash)', () => {
    expect(lifecycleCallbacks(active, ['setup'])).toEqual([]);
    expect(lifecycleCallbacks(suspended, ['setup', 'suspend'])).toEqual([]);
    expect(lifecycleCallbacks(deleted, ['delete'])).toEqual([]);
  });

  it('resumes only what a crash left undone', () => {
    // setup's postopen was made before the crash; only the suspend is left.
    expect(lifecycleCallbacks(active, ['setup', 'suspend'])).toEqual(['service.postsuspend']);
  });

  it('makes no callback for a suspend and resume that cancel out', () => {
    expect(lifecycleCallbacks(active, ['suspend', 'activate'])).toEqual([]);
  });

  it('never brings a deleted service back', () => {
    expect(callbacksBetween(deleted, active)).toEqual([]);
    expect(lifecycleCallbacks(deleted, ['setup', 'activate'])).toEqual([]);
  });
});
