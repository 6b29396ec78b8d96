import path from 'node:path';
import type { Config } from '../config/config.ts';
import { DEFAULT_TUNING, type Tuning } from '../config/tuning.ts';
import type { Logger } from '../log/logger.ts';
import { loadEmbedder } from '../embeddings/loadEmbedder.ts';
import { loadIndex, readManifest } from '../index/loadIndex.ts';
import { watchFolder } from '../index/watchFolder.ts';
import { MANIFEST_FILE } from '../index/layout.ts';
import type { BuildSummary } from '../index/types.ts';
import { createRetriever, type Retriever } from '../retrieval/retriever.ts';
import { createReader, type AnswerEngine } from '../answer/engine.ts';
import { isAppError } from '../errors/appError.ts';
import { lockedBuild, type RebuildLock, type ReindexResult } from './rebuildLock.ts';

/** The answer engine of a long-running process: it rebuilds and swaps its index without a restart. */
export interface LiveAnswerEngine extends AnswerEngine {
  /** Rebuilds the index from the corpus (incrementally) and swaps it in. Rejects with the reason when the build fails; the old index keeps serving. */
  rebuild(): Promise<BuildSummary>;
  /** Swaps in a new index written by another process (`npm run build-index`). */
  watchIndex(): void;
  /** Rebuilds by itself when the corpus folder changes (debounced). */
  watchCorpus(): void;
  onSwap(listener: (info: { ms: number; chunks: number }) => void): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Answer-time tuning (default: DEFAULT_TUNING); `npm run eval -- --set …` passes its own. */
  tuning?: Tuning;
  /** Shared by the processes of one deployment, so only one of them rebuilds (default: this process only). */
  rebuildLock?: RebuildLock;
  /** Told how each rebuild ended (the bot counts them in its metrics; the terminal does not load them). */
  onReindex?: (result: ReindexResult) => void;
}

/** An index in service, with the questions using it; a replaced one is closed when its last question is done. */
interface Serving {
  retriever: Retriever;
  users: number;
  retired: boolean;
}

/** Loads the model and the index once; everything else reuses them. */
export async function openLiveEngine(config: Config, logger: Logger, options: OpenOptions = {}): Promise<LiveAnswerEngine> {
  const embedder = await loadEmbedder(config.embeddingModel, { cacheDir: config.paths.modelCache });
  const model = { id: embedder.modelId, hash: embedder.modelHash };
  const open = async () => createRetriever(await loadIndex(config.paths.index, model), embedder);
  let serving: Serving = { retriever: await open(), users: 0, retired: false };
  const reader = createReader(embedder, { ...config.answers, tuning: options.tuning ?? DEFAULT_TUNING });
  const listeners: Array<(info: { ms: number; chunks: number }) => void> = [];
  const stoppers: Array<() => Promise<void>> = [];
  let building: Promise<BuildSummary> | undefined;
  let swapping: Promise<void> = Promise.resolve();

  const release = (s: Serving) => {
    s.users--;
    if (s.retired && s.users === 0) s.retriever.close();
  };

  /**
   * Loads the index on disk if it is newer than the one serving; a damaged or foreign index is logged and ignored.
   * Swaps run one at a time, each reading the manifest afresh, so the newest index is the one left serving even
   * when two builds finish close together.
   */
  function swapIfNew(): Promise<void> {
    const next = swapping.then(swapOnce);
    swapping = next.catch(() => undefined);
    return next;
  }

  async function swapOnce(): Promise<void> {
    // The manifest alone tells whether anything changed; the watcher and rebuild() both call this for one build.
    if ((await readManifest(config.paths.index)).fingerprint === serving.retriever.fingerprint) return;
    const started = performance.now();
    const retriever = await open();
    // One assignment: questions already running keep the index they started with; it closes after the last of them.
    const old = serving;
    serving = { retriever, users: 0, retired: false };
    old.retired = true;
    if (old.users === 0) old.retriever.close();
    const info = { ms: Math.round(performance.now() - started), chunks: retriever.info().chunks };
    logger.info({ event: 'index_swapped', ...info, fingerprint: retriever.fingerprint }, 'index swapped');
    for (const listener of listeners) listener(info);
  }

  async function rebuild(): Promise<BuildSummary> {
    // Two triggers at once (command and watcher) share one build.
    building ??= (async () => {
      try {
        // The build's code (chunking, sentence facts, the graph's worker) loads only when a rebuild is asked for: the
        // terminal never needs it, and it is a tenth of its start-up.
        const { buildIndex } = await import('../index/buildIndex.ts');
        const build = () => buildIndex({ corpusDir: config.paths.corpus, indexDir: config.paths.index, embedder });
        const summary = await lockedBuild(options.rebuildLock, build, options.onReindex);
        logger.info({ event: 'index_built', ...summary }, 'index built');
        await swapIfNew();
        return summary;
      } catch (error) {
        if (isAppError(error, 'REINDEX_ELSEWHERE')) logger.info({ event: 'index_build_elsewhere' }, 'another process is rebuilding the index; this one swaps when it is done');
        else logger.error({ event: 'index_build_failed', err: error }, 'index build failed; the previous index keeps serving');
        throw error;
      } finally {
        building = undefined;
      }
    })();
    return building;
  }

  return {
    async answer(question, answerOptions) {
      const held = serving;
      held.users++;
      try {
        return await reader.answer(held.retriever, question, answerOptions);
      } finally {
        release(held);
      }
    },
    sections: () => serving.retriever.sections(),
    sectionText: (section) => serving.retriever.sectionText(section),
    stats: () => serving.retriever.info(),
    rebuild,
    watchIndex() {
      const stop = watchFolder(
        config.paths.index,
        () => swapIfNew().catch((error: Error) => logger.warn({ event: 'index_swap_skipped', reason: error.message }, 'new index not loaded')),
        300,
        (file) => path.basename(file) === MANIFEST_FILE,
      );
      stoppers.push(stop);
    },
    watchCorpus() {
      stoppers.push(watchFolder(config.paths.corpus, () => rebuild().then(() => undefined)));
    },
    onSwap(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.all(stoppers.splice(0).map((stop) => stop()));
      await building?.catch(() => undefined);
      await swapping;
      serving.retired = true;
      if (serving.users === 0) serving.retriever.close();
    },
  };
}
