/** Marks where quoted text leaves something out (a passage's elided paragraph text, a message cut to fit). */
export const ELLIPSIS = '…';
