/**
 * A worker thread that owns the HNSW graph of a build (started by graphBuilder.ts, which describes the messages).
 * Messages are handled one at a time, in the order sent; after a failure the rest are skipped and `finish` reports it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import type { HnswParams } from './manifest.ts';
import { moduleWorkerData } from './moduleWorker.ts';
import type { GraphMessage } from './graphBuilder.ts';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

const { dimensions, params } = moduleWorkerData<{ dimensions: number; params: HnswParams }>(workerData);

function create(capacity: number): Graph {
  const index = new HierarchicalNSW(params.space, dimensions);
  index.initIndex({ maxElements: Math.max(capacity, 1), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed, allowReplaceDeleted: true });
  index.setEf(params.efSearch);
  return index;
}

/** The build's graph: a new one, replaced by the previous generation's when the build starts with 'start'. */
let graph: Graph = create(1024);
/** Deleted points of `graph` that new points may replace. */
let deleted = 0;
let failure: string | undefined;
let busyMs = 0;

/** Adds a point, in the place of a deleted one of the build's graph when there is one, growing the graph when it is full. */
function add(index: Graph, vector: ArrayLike<number>, label: number): void {
  if (index === graph && deleted > 0) {
    index.addPoint(Array.from(vector), label, true);
    deleted--;
    return;
  }
  if (index.getCurrentCount() >= index.getMaxElements()) index.resizeIndex(Math.max(16, Math.ceil(index.getMaxElements() * 1.5)));
  index.addPoint(Array.from(vector), label, false);
}

async function handle(m: GraphMessage): Promise<void> {
  switch (m.op) {
    case 'start':
      graph = new HierarchicalNSW(params.space, dimensions);
      await graph.readIndex(m.file, true);
      // readIndex resets ef to 10.
      graph.setEf(params.efSearch);
      deleted = m.deletedPoints;
      return;
    case 'add':
      m.labels.forEach((label, i) => add(graph, m.vectors.subarray(i * dimensions, (i + 1) * dimensions), label));
      return;
    case 'copy':
      m.from.forEach((from, i) => add(graph, graph.getPoint(from), m.to[i]!));
      return;
    case 'markDelete':
      for (const label of m.labels) graph.markDelete(label);
      deleted += m.labels.length;
      return;
    case 'finish':
      // In-place updates slowly wear the graph down; past this share of deleted points it is built afresh.
      if (deleted > m.rebuildShare * m.liveLabels.length) {
        const fresh = create(m.liveLabels.length);
        for (const label of m.liveLabels) add(fresh, graph.getPoint(label), label);
        graph = fresh;
        deleted = 0;
      }
      graph.writeIndexSync(m.file);
      return;
  }
}

let queue = Promise.resolve();
parentPort!.on('message', (m: GraphMessage) => {
  queue = queue.then(async () => {
    const started = performance.now();
    if (failure === undefined) {
      try {
        await handle(m);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    busyMs += performance.now() - started;
    if (m.op === 'finish') parentPort!.postMessage(failure === undefined ? { deletedPoints: deleted, busyMs } : { failure });
  });
});
