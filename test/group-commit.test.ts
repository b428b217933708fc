import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/storage/group-commit.js';

describe('group commit', () => {
  it('writes what was asked for while a write ran in one next write, and settles each caller with its own write', async () => {
    const writes: number[][] = [];
    let release: (() => void) | undefined;
    let fail = false;
    const g = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r)); // the first write is slow
      if (fail) throw new Error('database gone');
    });
    const first = g.add(1);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((n) => g.add(n));
    await new Promise((r) => setTimeout(r, 20));
    expect(writes).toEqual([[1]]); // one write at a time
    release!();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4, 5]]);
    fail = true;
    const results = await Promise.allSettled([g.add(6), g.add(7)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(writes.at(-1)).toEqual([6, 7]);
    fail = false;
    await expect(g.add(8)).resolves.toBeUndefined(); // a failed write does not stop the next
  });
});
