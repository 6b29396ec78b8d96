import type { Answer } from '../answer/types.ts';

export interface TerminalStyle {
  bold: (s: string) => string;
  dim: (s: string) => string;
}

export const ANSI_STYLE: TerminalStyle = { bold: (s) => `\x1b[1;33m${s}\x1b[0m`, dim: (s) => `\x1b[2m${s}\x1b[0m` };
export const PLAIN_STYLE: TerminalStyle = { bold: (s) => `**${s}**`, dim: (s) => s };

/** Readable terminal rendering of an answer: quotes with highlights marked, then their citations. */
export function formatAnswer(answer: Answer, style: TerminalStyle): string {
  if (answer.notice) return answer.notice;
  if (answer.abstained) {
    const closest = answer.suggestions.length > 0 ? `\nClosest sections: ${answer.suggestions.join('; ')}.` : '';
    const near = answer.nearMiss;
    const why =
      near && near.mentioned.length > 0 && near.missing.length > 0
        ? `The article mentions ${near.mentioned.join(', ')}, but not ${near.missing.join(', ')}.`
        : 'The article does not seem to answer that.';
    return `${why}${closest}`;
  }
  return answer.passages
    .map((passage, i) => {
      const quoted = withHighlights(passage.text, passage.highlightSpans, style)
        .split('\n')
        .map((line) => `  > ${line}`)
        .join('\n');
      const link = passage.url ? ` <${passage.url}>` : '';
      return `${i + 1}. ${quoted.trimStart()}\n   — ${passage.citation}${link} ${style.dim(`(score ${passage.score.toFixed(2)})`)}`;
    })
    .join('\n\n');
}

/** The text with each highlight span styled (spans are sorted and do not overlap). */
function withHighlights(text: string, spans: ReadonlyArray<readonly [number, number]>, style: TerminalStyle): string {
  let out = '';
  let pos = 0;
  for (const [start, end] of spans) {
    out += text.slice(pos, start) + style.bold(text.slice(start, end));
    pos = end;
  }
  return out + text.slice(pos);
}
