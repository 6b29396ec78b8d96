import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { encodeCustomId } from '../state/customIds.ts';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** "More passages" (while there are more), "Helpful" and "Not helpful" under an answer. */
export function answerButtons(answerKey: string, more: boolean): ButtonRow[] {
  const buttons: APIButtonComponent[] = [];
  if (more) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'More passages', custom_id: encodeCustomId({ kind: 'more', answerKey }) });
  }
  buttons.push(
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, label: 'Helpful', custom_id: encodeCustomId({ kind: 'vote', vote: 'up', answerKey }) },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, label: 'Not helpful', custom_id: encodeCustomId({ kind: 'vote', vote: 'down', answerKey }) },
  );
  return [{ type: ComponentType.ActionRow, components: buttons }];
}

/** Previous/next buttons for paged content; none when there is a single page. */
export function pageButtons(page: number, pageCount: number, idFor: (page: number) => string): ButtonRow[] {
  if (pageCount <= 1) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: '◀ Previous', custom_id: idFor(Math.max(0, page - 1)), disabled: page <= 0 },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next ▶', custom_id: idFor(Math.min(pageCount - 1, page + 1)), disabled: page >= pageCount - 1 },
      ],
    },
  ];
}
