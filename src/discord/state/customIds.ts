/**
 * Button custom ids carry their state so buttons keep working after a restart:
 * an answer key into the persisted store, or the section and page to show. Max 100 characters (Discord).
 */
export type ButtonAction =
  | { kind: 'more'; answerKey: string }
  | { kind: 'vote'; vote: 'up' | 'down'; answerKey: string }
  | { kind: 'section-page'; sectionKey: string; page: number }
  | { kind: 'toc-page'; page: number };

export function encodeCustomId(action: ButtonAction): string {
  switch (action.kind) {
    case 'more':
      return `more:${action.answerKey}`;
    case 'vote':
      return `vote:${action.vote}:${action.answerKey}`;
    case 'section-page':
      return `page:${action.sectionKey}:${action.page}`;
    case 'toc-page':
      return `toc:${action.page}`;
  }
}

const KEY = '[A-Za-z0-9_-]{1,40}';
const patterns: Array<[RegExp, (m: RegExpExecArray) => ButtonAction]> = [
  [new RegExp(`^more:(${KEY})$`), (m) => ({ kind: 'more', answerKey: m[1]! })],
  [new RegExp(`^vote:(up|down):(${KEY})$`), (m) => ({ kind: 'vote', vote: m[1] as 'up' | 'down', answerKey: m[2]! })],
  [new RegExp(`^page:(${KEY}):(\\d{1,4})$`), (m) => ({ kind: 'section-page', sectionKey: m[1]!, page: Number(m[2]) })],
  [/^toc:(\d{1,4})$/, (m) => ({ kind: 'toc-page', page: Number(m[1]) })],
];

/** Undefined for ids this bot did not make (or made by an older version). */
export function decodeCustomId(customId: string): ButtonAction | undefined {
  for (const [re, build] of patterns) {
    const m = re.exec(customId);
    if (m) return build(m);
  }
  return undefined;
}
