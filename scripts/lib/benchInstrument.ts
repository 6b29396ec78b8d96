import hnswlib from 'hnswlib-node';

/**
 * Bench-only instrumentation of hnswlib-node, to split a real `buildIndex` run into phases without changing
 * src/: the addon's `HierarchicalNSW` export is replaced by a subclass whose initIndex / setEf /
 * writeIndexSync / readIndexSync record when they ran. src/index/hnsw.ts reads the export once, when it is
 * evaluated, so this module must be imported before anything that imports src/index/hnsw.ts (the scale
 * child imports it first). addPoint is timed in aggregate; searchKnn is not wrapped, so query timings are unaffected.
 */

export interface HnswEvent {
  name: 'initIndex' | 'setEf' | 'writeIndexSync' | 'readIndexSync';
  start: number;
  end: number;
  /** Peak RSS of the process so far (MB), when the call returned. */
  peakRssMb: number;
}

/** Peak RSS of the process so far, in MB (getrusage: cheap, and never lower than any earlier RSS). */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export const hnswEvents: HnswEvent[] = [];

/** Total time spent in addPoint, and how many points were added (timed in aggregate: one pair of clock reads a call). */
export const hnswInserts = { ms: 0, count: 0 };

const Original = hnswlib.HierarchicalNSW;

class TimedHierarchicalNSW extends Original {}

/** Replaces one method of the subclass by a wrapper that times each call and hands start and end to `record`. */
function timeMethod(name: keyof typeof Original.prototype, record: (start: number, end: number) => void): void {
  const original = Original.prototype[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(TimedHierarchicalNSW.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        record(start, performance.now());
      }
    },
  });
}

for (const name of ['initIndex', 'setEf', 'writeIndexSync', 'readIndexSync'] as const) {
  timeMethod(name, (start, end) => hnswEvents.push({ name, start, end, peakRssMb: peakRssMb() }));
}
timeMethod('addPoint', (start, end) => {
  hnswInserts.ms += end - start;
  hnswInserts.count++;
});

let installed = false;
try {
  (hnswlib as { HierarchicalNSW: typeof Original }).HierarchicalNSW = TimedHierarchicalNSW;
  installed = hnswlib.HierarchicalNSW === TimedHierarchicalNSW;
} catch {
  installed = false;
}

/** False when the addon's export could not be replaced (phase timings of the HNSW build are then unknown). */
export const instrumentationInstalled = installed;
