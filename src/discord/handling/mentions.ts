/**
 * Discord markup that is never part of what is asked: user <@1> <@!1>, role <@&1> and channel <#1> mentions, slash
 * command mentions </name:1>, custom emoji <:name:1> <a:name:1>, timestamps <t:1:R>, server guide links <id:guide>,
 * and @everyone / @here. Left in, a mention's id becomes a search term (the question "@Ann who led the NKVD?" finds
 * nothing) and is stored with the question.
 */
const MARKUP = /<@[!&]?\d+>|<#\d+>|<\/[^<>\n]{1,100}:\d+>|<a?:\w{1,32}:\d+>|<t:-?\d+(?::[tTdDfFR])?>|<id:\w+>|@(?:everyone|here)\b/g;

/** The question without mentions and markup tokens: "<@1> <@2>, who led the NKVD?" → "who led the NKVD?". */
export function stripMentions(text: string): string {
  return text
    .replace(MARKUP, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:]+/, '')
    .trim();
}
