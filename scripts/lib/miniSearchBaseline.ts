import MiniSearch from 'minisearch';

/**
 * The other yardstick: MiniSearch with its default options over the article's raw paragraphs (blank-line
 * separated), the best paragraph quoted as is. What a quick keyword bot would do.
 */
export function buildMiniSearchBaseline(sources: string[]): { paragraphs: string[]; top(question: string, k: number): string[] } {
  const paragraphs = sources.flatMap((s) => s.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean));
  const search = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  search.addAll(paragraphs.map((text, id) => ({ id, text })));
  return {
    paragraphs,
    top: (question, k) => search.search(question).slice(0, k).map((r) => paragraphs[r.id as number]!),
  };
}
