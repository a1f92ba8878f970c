// The memory a growing prober runs out of first, for the alert that predicts it: the container's
// cgroup limit (the kernel kills the process there), the machine's memory, and V8's heap limit
// (the JavaScript heap cannot grow past it, whatever the container allows).
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

export interface MemoryLimits {
  /** process.constrainedMemory(): the cgroup limit; 0 or at least the machine's memory when there is none. */
  constrained: number;
  total: number;
  heapLimit: number;
  /** Resident memory outside the JavaScript heap (code, the runtime, buffers): RSS minus the heap's size. */
  outsideHeap: number;
}

function currentLimits(): MemoryLimits {
  return {
    constrained: process.constrainedMemory?.() ?? 0,
    total: totalmem(),
    heapLimit: getHeapStatistics().heap_size_limit,
    outsideHeap: Math.max(0, process.memoryUsage.rss() - getHeapStatistics().total_heap_size),
  };
}

/**
 * Bytes of resident memory: the smallest of the limits that apply. The heap limit bounds the
 * JavaScript heap, not the process: a process whose heap is full is resident by that much plus
 * what lives outside the heap, so that is the limit it stands for (compared with RSS, the heap
 * limit alone would read as exceeded by every prober run with --max-old-space-size).
 */
export function memoryLimitBytes(limits: MemoryLimits = currentLimits()): number {
  const cgroup = limits.constrained > 0 && limits.constrained < limits.total ? limits.constrained : Infinity;
  return Math.min(cgroup, limits.total, limits.heapLimit + limits.outsideHeap);
}
