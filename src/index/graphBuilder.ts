import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { HnswParams } from './manifest.ts';

/**
 * The HNSW graph of a build, built in a worker thread: inserting points is a fifth of a full build, and on another
 * core it overlaps with parsing and writing the database. Operations run in the order they are called, one at a time,
 * so a full build of the same corpus still gives the same file; `finish` reports the first failure, if any.
 */
export interface GraphBuilder {
  /** Adds points (`vectors` holds one vector of `dimensions` floats per label), in the places of deleted ones first. */
  add(labels: readonly number[], vectors: readonly Float32Array[]): void;
  /** Adds, under each label of `to`, the point of the same index in `from` (a chunk that kept another's embedded text). */
  copy(from: readonly number[], to: readonly number[]): void;
  /** Marks points deleted; new points take their places. */
  markDelete(labels: readonly number[]): void;
  /**
   * Writes the graph to `file`, first building it afresh from the points of `liveLabels` (in that order) when more
   * than `rebuildShare` of them are deleted ones; resolves with how many deleted points the written graph holds and
   * how long the worker was busy.
   */
  finish(file: string, liveLabels: readonly number[], rebuildShare: number): Promise<{ deletedPoints: number; busyMs: number }>;
  /** Stops the worker (after `finish`, or to give up). */
  close(): Promise<void>;
}

/** Where the graph starts from: empty, or the previous generation's file with its count of deleted points. */
export type GraphStart = { file?: undefined } | { file: string; deletedPoints: number };

/**
 * The worker, as plain CommonJS evaluated from a string (as in fileHash.ts): it needs no file of its own, so it runs
 * the same from the sources (tsx), the compiled `dist/` and the tests. hnswlib-node wants plain Arrays.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { HierarchicalNSW } = require(workerData.hnswlib);
const { dimensions, params } = workerData;
let graph;
let deleted = 0;
let failure;
let busy = 0;
function create(capacity) {
  const index = new HierarchicalNSW(params.space, dimensions);
  index.initIndex({ maxElements: Math.max(capacity, 1), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed, allowReplaceDeleted: true });
  index.setEf(params.efSearch);
  return index;
}
function add(index, vector, label) {
  if (deleted > 0 && index === graph) {
    index.addPoint(Array.from(vector), label, true);
    deleted--;
    return;
  }
  if (index.getCurrentCount() >= index.getMaxElements()) index.resizeIndex(Math.max(16, Math.ceil(index.getMaxElements() * 1.5)));
  index.addPoint(Array.from(vector), label, false);
}
const ops = {
  async start(m) {
    if (m.file === undefined) { graph = create(1024); return; }
    graph = new HierarchicalNSW(params.space, dimensions);
    await graph.readIndex(m.file, true);
    graph.setEf(params.efSearch);
    deleted = m.deletedPoints;
  },
  add(m) {
    for (let i = 0; i < m.labels.length; i++) add(graph, m.vectors.subarray(i * dimensions, (i + 1) * dimensions), m.labels[i]);
  },
  copy(m) {
    for (let i = 0; i < m.from.length; i++) add(graph, graph.getPoint(m.from[i]), m.to[i]);
  },
  markDelete(m) {
    for (const label of m.labels) graph.markDelete(label);
    deleted += m.labels.length;
  },
  finish(m) {
    if (deleted > m.rebuildShare * m.liveLabels.length) {
      const fresh = create(m.liveLabels.length);
      for (const label of m.liveLabels) add(fresh, graph.getPoint(label), label);
      graph = fresh;
      deleted = 0;
    }
    graph.writeIndexSync(m.file);
  },
};
let queue = Promise.resolve();
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    const started = performance.now();
    if (failure === undefined) {
      try {
        await ops[m.op](m);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    busy += performance.now() - started;
    if (m.op === 'finish') parentPort.postMessage(failure === undefined ? { deletedPoints: deleted, busyMs: busy } : { failure });
  });
});
`;

/** Starts the graph's worker: an empty graph, or the previous generation's to update in place. */
export function startGraphBuilder(dimensions: number, params: HnswParams, from: GraphStart): GraphBuilder {
  const hnswlib = createRequire(import.meta.url).resolve('hnswlib-node');
  // No inherited execArgv: the worker needs no loader, and the launcher's --import must not run twice.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { hnswlib, dimensions, params }, execArgv: [] });
  let exited: Error | undefined;
  const stopped = new Promise<void>((resolve) => {
    worker.once('error', (error) => {
      exited = error;
    });
    worker.once('exit', (code) => {
      exited ??= new Error(`the HNSW graph worker stopped with exit code ${code}`);
      resolve();
    });
  });
  worker.postMessage({ op: 'start', ...from });
  return {
    add(labels, vectors) {
      if (labels.length === 0) return;
      const flat = new Float32Array(labels.length * dimensions);
      vectors.forEach((v, i) => flat.set(v, i * dimensions));
      worker.postMessage({ op: 'add', labels, vectors: flat }, [flat.buffer]);
    },
    copy(from, to) {
      if (from.length > 0) worker.postMessage({ op: 'copy', from, to });
    },
    markDelete(labels) {
      if (labels.length > 0) worker.postMessage({ op: 'markDelete', labels });
    },
    async finish(file, liveLabels, rebuildShare) {
      const reply = await new Promise<{ deletedPoints: number; busyMs: number } | { failure: string }>((resolve, reject) => {
        worker.once('message', resolve);
        void stopped.then(() => reject(exited));
        worker.postMessage({ op: 'finish', file, liveLabels, rebuildShare });
      });
      if ('failure' in reply) throw new Error(`building the HNSW graph failed: ${reply.failure}`);
      return { deletedPoints: reply.deletedPoints, busyMs: Math.round(reply.busyMs) };
    },
    async close() {
      await worker.terminate();
      await stopped;
    },
  };
}
