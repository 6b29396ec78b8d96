import { escapeMarkdown } from 'discord.js';

/**
 * Escapes article text so Discord shows it literally. Headings, list markers and masked links are escaped too:
 * at the start of a quoted line they would otherwise reformat the quote. Mentions need no escaping here:
 * every message goes out with allowedMentions { parse: [] }, so they cannot ping.
 */
export function escapeQuoted(text: string): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
    // The italic rule's lookbehinds run at every position (quadratic); skip it when there is nothing to escape.
    italic: /[*_]/.test(text),
  });
  // "-# " (subtext) is newer than escapeMarkdown's heading rule.
  return escaped.replace(/^( *)-# /gm, '$1\\-# ');
}

/** Bold for one line of a highlight: whitespace stays outside the markers, which Discord requires. */
function boldLine(escapedLine: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(escapedLine)!;
  return m[2] ? `${m[1]}**${m[2]}**${m[3]}` : escapedLine;
}

/** `text` in bold, escaped, line by line (Discord does not carry bold across lines). */
export function formatBold(text: string): string {
  return text
    .split('\n')
    .map((line) => boldLine(escapeQuoted(line)))
    .join('\n');
}

/**
 * Renders `text` as a Discord block quote ("> " on every line) with the highlighted ranges in bold.
 * Escaping is applied to each segment of the article text, never to the ** we add, so the bold survives
 * and nothing in the article can open formatting of its own. Bold is closed at line ends because
 * Discord does not carry it across quoted lines.
 */
export function formatQuote(text: string, ranges: ReadonlyArray<readonly [number, number]> = []): string {
  let out = '';
  let pos = 0;
  const emit = (segment: string, bold: boolean) => {
    const lines = segment.split('\n').map((line) => {
      const escaped = escapeQuoted(line);
      return bold ? boldLine(escaped) : escaped;
    });
    out += lines.join('\n');
  };
  for (const [start, end] of ranges) {
    const s = Math.max(start, pos);
    const e = Math.min(end, text.length);
    if (e <= s) continue;
    emit(text.slice(pos, s), false);
    emit(text.slice(s, e), true);
    pos = e;
  }
  emit(text.slice(pos), false);
  return out
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
