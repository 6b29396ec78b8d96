import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from './types.ts';
import { CorpusError } from './errors.ts';
import { isArticleFileName, parseArticle } from './parse.ts';
import { MAX_ARTICLE_BYTES, decodeArticle, tooLarge } from './text.ts';

/** Article files under `dir` (recursively, skipping hidden folders), as sorted paths relative to `dir` with "/". */
export async function listArticleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && isArticleFileName(entry.name)) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}

/**
 * Reads and parses every article in the corpus folder (`.txt` and `.md`, see corpus/README.md).
 * All-or-nothing: any bad file, an empty folder or a duplicate title/id throws one CorpusError listing every problem.
 */
export async function readCorpus(dir: string): Promise<Article[]> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new CorpusError(`Corpus folder ${dir} does not exist`, 'Create it and put .txt or .md articles in it (or set CORPUS_DIR).', dir);
  }
  if (!info.isDirectory()) throw new CorpusError(`Corpus path ${dir} is not a folder`, 'Point CORPUS_DIR at the folder that holds the articles.', dir);

  const files = await listArticleFiles(dir);
  if (files.length === 0) {
    throw new CorpusError(
      `Corpus folder ${dir} has no articles`,
      'Add at least one .txt or .md article (README.md and hidden files are ignored).',
      dir,
    );
  }

  const problems: CorpusError[] = [];
  const articles: Article[] = [];
  for (const file of files) {
    try {
      const full = path.join(dir, file);
      const { size } = await stat(full);
      if (size > MAX_ARTICLE_BYTES) throw tooLarge(file, size);
      articles.push(parseArticle(file, decodeArticle(file, await readFile(full))));
    } catch (err) {
      if (err instanceof CorpusError) problems.push(new CorpusError(`${err.problem} (corpus folder: ${dir})`, err.fix, file));
      else throw err;
    }
  }

  const byId = new Map<string, Article>();
  const byTitle = new Map<string, Article>();
  for (const article of articles) {
    const sameId = byId.get(article.id);
    if (sameId) {
      problems.push(
        new CorpusError(
          `${sameId.file} and ${article.file} give the same article id "${article.id}"`,
          'Rename one of the files.',
          article.file,
        ),
      );
    }
    byId.set(article.id, article);
    const key = article.title.normalize('NFKC').trim().toLowerCase();
    const sameTitle = byTitle.get(key);
    if (sameTitle) {
      problems.push(
        new CorpusError(
          `${sameTitle.file} and ${article.file} have the same title "${article.title}"`,
          'Remove one of them or change its title.',
          article.file,
        ),
      );
    }
    byTitle.set(key, article);
  }

  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new CorpusError(
      `${problems.length} problems in corpus folder ${dir}:\n${problems.map((p) => `- ${p.message}`).join('\n')}`,
      'Fix each file named, then rebuild the index.',
      dir,
    );
  }
  return articles;
}
