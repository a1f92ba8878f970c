import { totalmem } from 'node:os';
import { memoryLimitBytes } from './memory-limit';

const GiB = 1024 ** 3;

describe('memoryLimitBytes', () => {
  it('takes the container limit when it is the smallest', () => {
    expect(memoryLimitBytes({ constrained: 0.5 * GiB, total: 16 * GiB, heapLimit: 4 * GiB, outsideHeap: 0 })).toBe(
      0.5 * GiB
    );
  });

  it('takes the heap limit in a roomy container or on a machine without one', () => {
    expect(memoryLimitBytes({ constrained: 8 * GiB, total: 16 * GiB, heapLimit: 4 * GiB, outsideHeap: 0 })).toBe(
      4 * GiB
    );
    // No cgroup limit: Node reports 0, or (libuv's "unlimited") a number above the machine's memory.
    expect(memoryLimitBytes({ constrained: 0, total: 16 * GiB, heapLimit: 4 * GiB, outsideHeap: 0 })).toBe(4 * GiB);
    expect(memoryLimitBytes({ constrained: 2 ** 64, total: 16 * GiB, heapLimit: 4 * GiB, outsideHeap: 0 })).toBe(
      4 * GiB
    );
  });

  it('stands the heap limit for the resident memory of a full heap: the limit plus what lives outside the heap', () => {
    // --max-old-space-size=192: a process with 100 MB outside its heap is resident by ~300 MB when the heap is full.
    const MiB = 1024 ** 2;
    expect(memoryLimitBytes({ constrained: 0, total: 16 * GiB, heapLimit: 200 * MiB, outsideHeap: 100 * MiB })).toBe(
      300 * MiB
    );
    expect(
      memoryLimitBytes({ constrained: 256 * MiB, total: 16 * GiB, heapLimit: 200 * MiB, outsideHeap: 100 * MiB })
    ).toBe(256 * MiB);
  });

  it('takes the machine on a small machine', () => {
    expect(memoryLimitBytes({ constrained: 0, total: 2 * GiB, heapLimit: 4 * GiB, outsideHeap: 0 })).toBe(2 * GiB);
  });

  it('reads this process: a positive number no larger than the machine', () => {
    const limit = memoryLimitBytes();
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThanOrEqual(totalmem());
  });
});
