/**
 * A plain-lookup tokenizer for whole-word vocabularies such as the bundled model's: normalise and split the text
 * exactly as transformers.js' BertNormalizer and BertPreTokenizer do, then look each word up in the vocabulary. It
 * yields the same ids as transformers.js' generic tokenizer (tests/wholeWordTokenizer.test.ts compares them),
 * because a WordPiece vocabulary without "##" continuation pieces can only map a word to itself or to [UNK]. The
 * generic tokenizer spends most of its time in per-character work (a regular expression per character to clean
 * the text, and WordPiece trying every prefix of an unknown word).
 *
 * `fromTokenizerJson` accepts only the exact configuration this file reproduces and returns null for anything else,
 * so another tokenizer falls back to transformers.js instead of being tokenized differently.
 */
export interface WholeWordTokenizer {
  /** Token ids of one text, before truncation. */
  encode(text: string): number[];
  padId: number;
  /** Longest sequence the model takes (tokenizer_config.json's model_max_length): longer texts are cut. */
  maxLength: number;
  /** One more than the largest token id: the rows of the model's embedding table. */
  vocabSize: number;
}

interface TokenizerJson {
  added_tokens?: Array<{ id: number; content: string; lstrip?: boolean; rstrip?: boolean }>;
  normalizer?: { type?: string; clean_text?: boolean; handle_chinese_chars?: boolean; strip_accents?: boolean | null; lowercase?: boolean } | null;
  pre_tokenizer?: { type?: string } | null;
  post_processor?: unknown;
  model?: { type?: string; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number; vocab?: Record<string, number> };
}

interface TokenizerConfig {
  model_max_length?: number;
  pad_token?: string;
  padding_side?: string;
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
}

/** transformers.js' BertPreTokenizer: runs of characters that are neither whitespace nor punctuation, or one punctuation mark. */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_OR_PUNCTUATION = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

/** What BertNormalizer's clean_text drops: NUL, U+FFFD and control, format, private-use and surrogate code points, except tab and newlines. */
const DROPPED = /[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
/** Whitespace as BertNormalizer sees it (`/^\s$/` per code point), turned into a plain space. */
const WHITESPACE = /\s/g;
/**
 * The CJK ideograph blocks BertNormalizer puts spaces around. It tests UTF-16 code units, so only these BMP blocks
 * ever match (its ranges above U+FFFF never do), and this does the same.
 */
const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** BertNormalizer with clean_text, handle_chinese_chars, lowercase and strip_accents, as transformers.js 2.17 applies it. */
function normalize(text: string): string {
  return text
    .replace(DROPPED, '')
    .replace(WHITESPACE, ' ')
    .replace(CJK, ' $& ')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The tokenizer for `tokenizerJson` + `tokenizerConfig` when they are a whole-word BERT-style WordPiece tokenizer, else null. */
export function fromTokenizerJson(tokenizerJson: TokenizerJson, tokenizerConfig: TokenizerConfig): WholeWordTokenizer | null {
  const { normalizer, pre_tokenizer: preTokenizer, model } = tokenizerJson;
  const { pad_token: padToken, model_max_length: maxLength } = tokenizerConfig;
  const addedTokens = tokenizerJson.added_tokens ?? [];
  const vocabulary = model?.vocab;
  const supported =
    normalizer?.type === 'BertNormalizer' &&
    normalizer.clean_text === true &&
    normalizer.handle_chinese_chars === true &&
    normalizer.lowercase === true &&
    normalizer.strip_accents !== false &&
    preTokenizer?.type === 'BertPreTokenizer' &&
    tokenizerJson.post_processor == null &&
    model?.type === 'WordPiece' &&
    vocabulary !== undefined &&
    !tokenizerConfig.remove_space &&
    !tokenizerConfig.do_lowercase_and_remove_accent &&
    (tokenizerConfig.padding_side ?? 'right') === 'right' &&
    padToken !== undefined &&
    maxLength !== undefined &&
    addedTokens.every((t) => !t.lstrip && !t.rstrip && t.content !== '');
  if (!supported) return null;
  const prefix = model.continuing_subword_prefix ?? '##';
  // A continuation piece would let WordPiece split a word into several ids: then this is not a plain lookup.
  let largestId = Math.max(-1, ...addedTokens.map((t) => t.id));
  for (const word in vocabulary) {
    if (word.startsWith(prefix)) return null;
    largestId = Math.max(largestId, vocabulary[word]!);
  }
  // The parsed vocabulary is looked up as it is (copying its 50,000 entries into a Map was a tenth of `npm run
  // ask`'s start-up); only its own keys count, not an Object method's name.
  const inVocabulary = (word: string): number | undefined => (Object.hasOwn(vocabulary, word) ? vocabulary[word] : undefined);
  const addedIds = new Map(addedTokens.map((t) => [t.content, t.id]));
  // In transformers.js' order: [UNK]'s id from the vocabulary, then the added tokens' own ids override it.
  const idOf = (word: string): number | undefined => addedIds.get(word) ?? inVocabulary(word);
  const unkId = inVocabulary(model.unk_token ?? '[UNK]');
  const padId = idOf(padToken);
  if (unkId === undefined || padId === undefined) return null;
  const maxWordChars = model.max_input_chars_per_word ?? 100;

  // Added tokens ([PAD], [UNK]) written in the text are matched before normalisation, wherever they stand.
  const addedPattern = addedTokens.length > 0 ? new RegExp(addedTokens.map((t) => `(${escapeRegExp(t.content)})`).join('|')) : null;

  const encodeSection = (section: string, out: number[]) => {
    const words = normalize(section).trim().match(WORD_OR_PUNCTUATION);
    if (!words) return;
    for (const word of words) {
      // WordPiece counts code points, not UTF-16 units.
      const tooLong = word.length > maxWordChars && [...word].length > maxWordChars;
      out.push(tooLong ? unkId : (idOf(word) ?? unkId));
    }
  };

  const encode = (text: string): number[] => {
    const out: number[] = [];
    const sections = addedPattern ? text.split(addedPattern) : [text];
    for (const section of sections) {
      if (!section) continue;
      const added = addedIds.get(section);
      if (added !== undefined) out.push(added);
      else encodeSection(section, out);
    }
    return out;
  };

  return { encode, padId, maxLength, vocabSize: largestId + 1 };
}

/**
 * A batch as the pipeline's tokenizer returns it with `padding: true, truncation: true`: ids and attention mask,
 * row-major [texts, longest sequence], the longest cut to `maxLength`, shorter rows padded on the right.
 */
export function encodeBatch(tokenizer: WholeWordTokenizer, texts: string[]): { ids: BigInt64Array; mask: BigInt64Array; dims: [number, number] } {
  const encoded = texts.map((text) => tokenizer.encode(text));
  const sequence = Math.min(tokenizer.maxLength, Math.max(0, ...encoded.map((e) => e.length)));
  const ids = new BigInt64Array(texts.length * sequence).fill(BigInt(tokenizer.padId));
  const mask = new BigInt64Array(texts.length * sequence);
  encoded.forEach((row, b) => {
    const length = Math.min(row.length, sequence);
    for (let t = 0; t < length; t++) {
      ids[b * sequence + t] = BigInt(row[t]!);
      mask[b * sequence + t] = 1n;
    }
  });
  return { ids, mask, dims: [texts.length, sequence] };
}
