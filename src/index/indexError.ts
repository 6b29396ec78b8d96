/** The index cannot be used as it is; the message names the command that fixes it. */
export class IndexError extends Error {
  override name = 'IndexError';
}
