import { AppError } from '../errors/appError.ts';

/** A problem with the corpus that the user must fix (bad file, empty folder, duplicate title, …). */
export class CorpusError extends AppError {
  /** Path of the offending file (relative to the corpus folder, or the folder itself), when known. */
  readonly file: string | undefined;

  constructor(problem: string, fix: string, file?: string) {
    super('CORPUS_INVALID', problem, fix);
    this.file = file;
  }
}
