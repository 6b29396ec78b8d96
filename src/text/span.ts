/** A [start, end) range of character offsets into a string. */
export type Span = [start: number, end: number];
