/** A list item line: "  • item", "- item", "* item", "1. item", "2) item". The match is the bullet and its space. */
export const BULLET_RE = /^[ \t]*(?:[•‣◦▪●*+\-–]|\d{1,3}[.)])[ \t]+(?=\S)/u;

export function isBulletLine(text: string): boolean {
  return BULLET_RE.test(text);
}
