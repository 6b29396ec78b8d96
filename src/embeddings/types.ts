/** Turns text into unit-length vectors. One instance per process; loading is the expensive part. */
export interface Embedder {
  /** The configured model id ("bundled" or a Hugging Face id such as "Xenova/bge-small-en-v1.5"). */
  modelId: string;
  dimensions: number;
  /** Hash of the model files, recorded in the index manifest to detect a model change. */
  modelHash: string;
  /** Embeds passages (adds the model's passage prefix, if any). */
  embedPassages(texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  /** Embeds a search query (adds the model's query prefix, if any). */
  embedQuery(text: string): Promise<Float32Array>;
}
