/**
 * Pools token vectors into one unit vector per text. Done here instead of in the transformers.js pipeline because
 * its mean_pooling converts every mask entry from BigInt inside the innermost loop: for the bundled static model
 * that pooling took ~90% of the embedding time.
 */
export type Pooling = 'mean' | 'cls';

/**
 * @param hidden  last_hidden_state, row-major [batch, sequence, dims]
 * @param mask    attention_mask, [batch, sequence] (1 = real token, 0 = padding)
 * @returns one Float32Array per batch row, L2-normalised; the zero vector when the pooled vector is zero
 *          (e.g. the bundled model and a text of only unknown words), never NaN.
 */
export function poolAndNormalize(
  hidden: ArrayLike<number>,
  mask: ArrayLike<bigint | number>,
  [batch, sequence, dims]: readonly [number, number, number],
  pooling: Pooling,
): Float32Array[] {
  const out: Float32Array[] = [];
  const sum = new Float64Array(dims);
  for (let b = 0; b < batch; b++) {
    sum.fill(0);
    const tokens = pooling === 'cls' ? Math.min(1, sequence) : sequence;
    for (let t = 0; t < tokens; t++) {
      // Padding positions are skipped, so a text pools to the same vector whatever it is batched with. The
      // division by the token count of a mean is dropped: normalisation below cancels it.
      if (pooling === 'mean' && Number(mask[b * sequence + t]) === 0) continue;
      const offset = (b * sequence + t) * dims;
      for (let d = 0; d < dims; d++) sum[d]! += hidden[offset + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += sum[d]! * sum[d]!;
    norm = Math.sqrt(norm);
    const vector = new Float32Array(dims);
    if (norm > 0 && Number.isFinite(norm)) for (let d = 0; d < dims; d++) vector[d] = sum[d]! / norm;
    out.push(vector);
  }
  return out;
}
