import { escapeMarkdown } from 'discord.js';

/** "— [Great Purge › Purge of the army ¶2](<url>)": a masked link whose <> keeps Discord from adding a preview. */
export function renderCitation(citation: string, url?: string): string {
  const label = escapeMarkdown(citation).replace(/[[\]]/g, (c) => `\\${c}`);
  if (!url || !/^https?:\/\//.test(url)) return `— *${label}*`;
  const safeUrl = url.replace(/[()<> ]/g, (c) => encodeURIComponent(c));
  return `— [${label}](<${safeUrl}>)`;
}
