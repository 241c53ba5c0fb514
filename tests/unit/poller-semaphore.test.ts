import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/main/poller/semaphore';
import { flushPromises } from './poller-fake-clock';

describe('the semaphore that bounds polls in flight', () => {
  it('lets two holders in and queues the third until one releases', async () => {
    const slots = new Semaphore(2);
    const first = await slots.acquire();
    await slots.acquire();
    let thirdGotIn = false;
    const third = slots.acquire().then((release) => {
      thirdGotIn = true;
      return release;
    });
    await flushPromises();
    expect(thirdGotIn).toBe(false);
    expect(slots.waiting).toBe(1);

    first();
    await third;
    expect(thirdGotIn).toBe(true);
    expect(slots.inUse).toBe(2);
    expect(slots.waiting).toBe(0);
  });

  it('serves waiters in arrival order', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      slots.acquire().then((next) => {
        order.push(name);
        next();
      }),
    );
    release();
    await Promise.all(waiters);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(slots.inUse).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    release();
    release();
    expect(slots.inUse).toBe(0);
    await slots.acquire();
    expect(slots.inUse).toBe(1);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
