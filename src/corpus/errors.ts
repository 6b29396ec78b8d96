/** A problem with the corpus that the user must fix (bad file, empty folder, duplicate title, …). */
export class CorpusError extends Error {
  /** Path of the offending file (relative to the corpus folder, or the folder itself), when known. */
  readonly file: string | undefined;

  constructor(message: string, file?: string) {
    super(message);
    this.name = 'CorpusError';
    this.file = file;
  }
}
