import type { HnswParams } from './manifest.ts';
import { startModuleWorker } from './moduleWorker.ts';

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

/** What the build sends the graph's worker (graphWorker.ts), in order. */
export type GraphMessage =
  | { op: 'start'; file: string; deletedPoints: number }
  | { op: 'add'; labels: readonly number[]; vectors: Float32Array }
  | { op: 'copy'; from: readonly number[]; to: readonly number[] }
  | { op: 'markDelete'; labels: readonly number[] }
  | { op: 'finish'; file: string; liveLabels: readonly number[]; rebuildShare: number };

/** Starts the graph's worker: an empty graph, or the previous generation's to update in place. */
export function startGraphBuilder(dimensions: number, params: HnswParams, from: GraphStart): GraphBuilder {
  const worker = startModuleWorker('./graphWorker', import.meta.url, { dimensions, params });
  const send = (message: GraphMessage, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
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
  if (from.file !== undefined) send({ op: 'start', file: from.file, deletedPoints: from.deletedPoints });
  return {
    add(labels, vectors) {
      if (labels.length === 0) return;
      const flat = new Float32Array(labels.length * dimensions);
      vectors.forEach((v, i) => flat.set(v, i * dimensions));
      send({ op: 'add', labels, vectors: flat }, [flat.buffer]);
    },
    copy(from, to) {
      if (from.length > 0) send({ op: 'copy', from, to });
    },
    markDelete(labels) {
      if (labels.length > 0) send({ op: 'markDelete', labels });
    },
    async finish(file, liveLabels, rebuildShare) {
      const reply = await new Promise<{ deletedPoints: number; busyMs: number } | { failure: string }>((resolve, reject) => {
        worker.once('message', resolve);
        void stopped.then(() => reject(exited));
        send({ op: 'finish', file, liveLabels, rebuildShare });
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
