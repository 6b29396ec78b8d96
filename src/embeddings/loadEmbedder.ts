import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/appError.ts';
import type { FeatureExtractionPipeline, PreTrainedModel, PreTrainedTokenizer, Tensor } from '@xenova/transformers';
import {
  BUNDLED_MODEL_ID,
  BUNDLED_MODEL_NAME,
  cachedModelDir,
  defaultCacheDir,
  defaultModelsDir,
  hasPipelineFiles,
  hashModelFiles,
} from './modelFiles.ts';
import { profileFor, type ModelProfile } from './modelProfiles.ts';
import { poolAndNormalize } from './pooling.ts';
import type { Embedder } from './types.ts';
import { encodeBatch, fromTokenizerJson, type WholeWordTokenizer } from './wholeWordTokenizer.ts';
import { lookUpTokens, readTokenVectors, tokenVectorsFile, writeTokenVectors } from './tokenVectors.ts';

/** The embedding model cannot be loaded; the message says which setting or command fixes it. */
export class ModelError extends AppError {}

export interface LoadEmbedderOptions {
  /** Download cache for Hugging Face models, and the bundled model's token vectors. Default: <project>/.cache/transformers/. */
  cacheDir?: string;
  /** Folder holding the bundled model. Default: <project>/models/. */
  modelsDir?: string;
  /** How long the reachability check of the model hub may take before failing. Default 5000 ms. */
  probeTimeoutMs?: number;
  /**
   * Tokenize the bundled model with transformers.js' generic tokenizer instead of the plain word lookup
   * (wholeWordTokenizer.ts), which gives the same ids faster. For the test and the bench that compare the two.
   */
  genericTokenizer?: boolean;
  /**
   * Run the bundled model through transformers.js and onnxruntime instead of reading its token vectors
   * (tokenVectors.ts), which gives the same vectors without loading either. For the test that compares the two.
   */
  onnx?: boolean;
}

/** A batch's token vectors as the model gives them: [texts, sequence, dimensions], and the attention mask [texts, sequence]. */
type TokenVectors = (texts: string[]) => Promise<{ hidden: ArrayLike<number>; mask: ArrayLike<bigint>; dims: readonly number[] }>;

/** Turns a batch of texts into the model's inputs: ids and attention mask, [texts, sequence], padded and truncated. */
type Encode = (texts: string[]) => { input_ids: Tensor; attention_mask: Tensor };

/** transformers.js, loaded only when a model needs it (it and onnxruntime are a quarter of a second to load). */
const transformers = () => import('@xenova/transformers');

/** Token ids per model call when the bundled model's token vectors are made. */
const TOKEN_BATCH = 4_096;

/** Passages per pipeline call: bounds padding waste and memory while keeping per-call overhead small. */
export const PASSAGE_BATCH_SIZE = 32;

const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/**
 * Loads the embedding model `modelId`: 'bundled' (offline model in models/, never touches the network) or a Hugging
 * Face feature-extraction model id such as 'Xenova/bge-small-en-v1.5' (downloaded into `cacheDir` on first use).
 * Rejects within a few seconds when a remote model is not cached and the hub is unreachable.
 */
export function loadEmbedder(modelId: string, options: LoadEmbedderOptions = {}): Promise<Embedder> {
  // transformers.js configuration is one global object read during loading; serialise loads so two concurrent
  // loads (bundled + remote) cannot see each other's settings.
  const load = loadQueue.then(() => (modelId === BUNDLED_MODEL_ID ? loadBundled(options) : loadRemote(modelId, options)));
  loadQueue = load.catch(() => undefined);
  return load;
}

let loadQueue: Promise<unknown> = Promise.resolve();

async function loadBundled(options: LoadEmbedderOptions): Promise<Embedder> {
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const modelDir = path.join(modelsDir, BUNDLED_MODEL_NAME);
  if (!hasPipelineFiles(modelDir)) {
    throw new ModelError('MODEL_MISSING', `The bundled embedding model is missing from ${modelDir}`, 'Restore models/ from git (git checkout -- models) or run `npm run build-model`.');
  }
  const modelHash = hashModelFiles(BUNDLED_MODEL_ID, modelDir);
  const profile = profileFor(BUNDLED_MODEL_ID);
  const tokenizer = options.genericTokenizer ? null : await readWholeWordTokenizer(modelDir);
  if (tokenizer && !options.onnx) {
    // The token vectors the ONNX model gives, read from the cache, or made by it once and kept there.
    const file = tokenVectorsFile(options.cacheDir ?? defaultCacheDir(), modelHash);
    const table = readTokenVectors(file, tokenizer.vocabSize) ?? (await makeTokenVectors(file, tokenizer, await bundledOnnx(modelsDir)));
    const tokenVectors: TokenVectors = async (texts) => {
      const { ids, mask, dims } = encodeBatch(tokenizer, texts);
      return { hidden: lookUpTokens(table.vectors, table.dimensions, ids, mask), mask, dims: [...dims, table.dimensions] };
    };
    return makeEmbedder(BUNDLED_MODEL_ID, tokenVectors, profile, modelHash);
  }
  const model = await bundledOnnx(modelsDir);
  const { AutoTokenizer } = await transformers();
  const encode = tokenizer ? await wholeWordEncoder(tokenizer) : genericEncoder(await AutoTokenizer.from_pretrained(BUNDLED_MODEL_NAME, { local_files_only: true }));
  return makeEmbedder(BUNDLED_MODEL_ID, onnxTokenVectors(encode, model, BUNDLED_MODEL_ID), profile, modelHash);
}

/** The bundled ONNX model through transformers.js, from local files only. */
async function bundledOnnx(modelsDir: string): Promise<PreTrainedModel> {
  const { AutoModel, env } = await transformers();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = withTrailingSeparator(modelsDir);
  env.useFSCache = false; // local files are read directly; nothing is written to any cache
  return AutoModel.from_pretrained(BUNDLED_MODEL_NAME, { quantized: true, local_files_only: true });
}

/**
 * Runs the ONNX model over every token id, TOKEN_BATCH at a time, and keeps the rows in `file` (a cache that cannot
 * be written only costs the next start the same work).
 */
async function makeTokenVectors(file: string, tokenizer: WholeWordTokenizer, model: PreTrainedModel): Promise<{ vectors: Float32Array; dimensions: number }> {
  const { Tensor } = await transformers();
  const parts: Float32Array[] = [];
  let dimensions = 0;
  for (let first = 0; first < tokenizer.vocabSize; first += TOKEN_BATCH) {
    const count = Math.min(TOKEN_BATCH, tokenizer.vocabSize - first);
    const ids = BigInt64Array.from({ length: count }, (_, i) => BigInt(first + i));
    const outputs = (await model({ input_ids: new Tensor('int64', ids, [1, count]), attention_mask: new Tensor('int64', new BigInt64Array(count).fill(1n), [1, count]) })) as Record<string, Tensor | undefined>;
    const hidden = lastHiddenState(outputs, BUNDLED_MODEL_ID);
    dimensions = hidden.dims[2]!;
    parts.push(Float32Array.from(hidden.data as Float32Array));
  }
  const vectors = new Float32Array(tokenizer.vocabSize * dimensions);
  let offset = 0;
  for (const part of parts) {
    vectors.set(part, offset);
    offset += part.length;
  }
  await writeTokenVectors(file, vectors, dimensions).catch(() => undefined);
  return { vectors, dimensions };
}

/** The plain-lookup tokenizer of the model in `modelDir`, or null when its tokenizer is not a whole-word one. */
async function readWholeWordTokenizer(modelDir: string): Promise<WholeWordTokenizer | null> {
  const [tokenizerJson, tokenizerConfig] = await Promise.all(
    ['tokenizer.json', 'tokenizer_config.json'].map(async (file) => JSON.parse(await readFile(path.join(modelDir, file), 'utf8'))),
  );
  return fromTokenizerJson(tokenizerJson, tokenizerConfig);
}

async function wholeWordEncoder(tokenizer: WholeWordTokenizer): Promise<Encode> {
  const { Tensor } = await transformers();
  return (texts) => {
    const { ids, mask, dims } = encodeBatch(tokenizer, texts);
    return { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', mask, dims) };
  };
}

/** transformers.js' own tokenizer (any Hugging Face model, or the bundled one when it is not whole-word). */
function genericEncoder(tokenizer: PreTrainedTokenizer): Encode {
  return (texts) => tokenizer(texts, { padding: true, truncation: true }) as ReturnType<Encode>;
}

async function loadRemote(modelId: string, options: LoadEmbedderOptions): Promise<Embedder> {
  const { env, pipeline } = await transformers();
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const modelDir = cachedModelDir(cacheDir, modelId);
  const cached = hasPipelineFiles(modelDir);
  env.allowLocalModels = true;
  // Local lookups resolve to the cache folder itself, so a cached model never needs the network.
  env.localModelPath = withTrailingSeparator(cacheDir);
  env.useFSCache = true;
  env.cacheDir = cacheDir;
  env.allowRemoteModels = !cached;
  if (!cached) await probeHub(modelId, options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', modelId, { quantized: true, cache_dir: cacheDir, local_files_only: cached });
  } catch (error) {
    throw unavailable(modelId, cacheDir, error);
  }
  return makeEmbedder(modelId, onnxTokenVectors(genericEncoder(extractor.tokenizer), extractor.model, modelId), profileFor(modelId), hashModelFiles(modelId, modelDir));
}

/**
 * Fails fast when the hub cannot be reached (no network, DNS failure, blackholed route). transformers.js itself
 * has no timeout on its downloads, so without this a missing network could hang the first file request.
 */
async function probeHub(modelId: string, timeoutMs: number): Promise<void> {
  const { env } = await transformers();
  const url = `${env.remoteHost.replace(/\/?$/, '/')}${modelId}/resolve/main/config.json`;
  let status: number;
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
  } catch (error) {
    throw unavailable(modelId, env.cacheDir, error);
  }
  if (status >= 400) throw unavailable(modelId, env.cacheDir, new Error(`HTTP ${status} for ${url}`));
}

function unavailable(modelId: string, cacheDir: string, cause: unknown): Error {
  const reason = describe(cause);
  return new ModelError(
    'MODEL_UNAVAILABLE',
    `Embedding model "${modelId}" is not in the cache (${cacheDir}) and could not be downloaded: ${reason}`,
    'Use EMBEDDING_MODEL=bundled to run offline with the bundled model.',
    { cause },
  );
}

/** Node's fetch reports "fetch failed" and hides the useful part (e.g. ENOTFOUND) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

function withTrailingSeparator(dir: string): string {
  return dir.endsWith('/') || dir.endsWith(path.sep) ? dir : `${dir}/`;
}

/** Token vectors from a transformers.js model: `encode`'s inputs through the ONNX session. */
function onnxTokenVectors(encode: Encode, model: PreTrainedModel, modelId: string): TokenVectors {
  return async (texts) => {
    const inputs = encode(texts);
    const hidden = lastHiddenState((await model(inputs)) as Record<string, Tensor | undefined>, modelId);
    return { hidden: hidden.data as Float32Array, mask: inputs.attention_mask.data as BigInt64Array, dims: hidden.dims };
  };
}

function lastHiddenState(outputs: Record<string, Tensor | undefined>, modelId: string): Tensor {
  const hidden = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
  if (!hidden || hidden.dims.length !== 3) throw new Error(`embedding model ${modelId} returned no [batch, sequence, dims] token vectors`);
  return hidden;
}

function makeEmbedder(modelId: string, tokenVectors: TokenVectors, profile: ModelProfile, modelHash: string): Promise<Embedder> {
  const embedBatch = async (texts: string[]): Promise<Float32Array[]> => {
    // Token vectors from the model, pooled by poolAndNormalize (see pooling.ts for why not by the pipeline).
    const { hidden, mask, dims } = await tokenVectors(texts);
    return poolAndNormalize(hidden, mask, dims as [number, number, number], profile.pooling);
  };

  const embedPassages = async (
    texts: string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += PASSAGE_BATCH_SIZE) {
      const batch = texts.slice(start, start + PASSAGE_BATCH_SIZE).map((t) => profile.passagePrefix + t);
      out.push(...(await embedBatch(batch)));
      onProgress?.(out.length, texts.length);
    }
    return out;
  };

  const embedQuery = async (text: string): Promise<Float32Array> => {
    const [vector] = await embedBatch([profile.queryPrefix + text]);
    if (!vector) throw new Error('embedding pipeline returned no vector');
    return vector;
  };

  // One probe embedding gives the dimension without trusting config field names, and warms the session up.
  return embedQuery('dimension probe').then((probe) => ({
    modelId,
    dimensions: probe.length,
    modelHash,
    embedPassages,
    embedQuery,
  }));
}
