import type { QuestionSource } from '../functions/answerQuestion.ts';

/** What the message handler knows about a message, reduced to what decides whether and how to answer. */
export interface MessageFacts {
  /** Bots, webhooks and the bot itself are never answered (no loops between bots). */
  fromBot: boolean;
  /** The bot's user is among the message's mentions (not @everyone or a role). */
  mentionsBot: boolean;
  channelId: string;
  /** A direct message to the bot: the whole DM channel is one conversation. */
  inDirectMessage: boolean;
  /** The channel is a thread the bot opened for a question. */
  inBotThread: boolean;
  /** When the message replies to one of the bot's answers: that answer's conversation. */
  repliedConversation?: string;
  askChannelIds: readonly string[];
}

export type MessageRoute =
  | { kind: 'ignore' }
  | { kind: 'new'; source: Extract<QuestionSource, 'mention' | 'ask-channel'> }
  | { kind: 'follow-up'; source: Extract<QuestionSource, 'thread' | 'reply-chain' | 'direct-message'>; conversationId: string };

export function classifyMessage(f: MessageFacts): MessageRoute {
  if (f.fromBot) return { kind: 'ignore' };
  if (f.inDirectMessage) return { kind: 'follow-up', source: 'direct-message', conversationId: f.channelId };
  if (f.inBotThread) return { kind: 'follow-up', source: 'thread', conversationId: f.channelId };
  if (f.repliedConversation) return { kind: 'follow-up', source: 'reply-chain', conversationId: f.repliedConversation };
  if (f.mentionsBot) return { kind: 'new', source: 'mention' };
  if (f.askChannelIds.includes(f.channelId)) return { kind: 'new', source: 'ask-channel' };
  return { kind: 'ignore' };
}

/** The question without the bot's mention(s): "<@123> who was Yezhov?" → "who was Yezhov?". */
export function stripBotMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** A thread name from the question: mentions and markdown removed, at most 100 characters. */
export function threadNameFor(question: string): string {
  const plain = question
    .replace(/<(@[!&]?|#)\d+>/g, '')
    .replace(/@(everyone|here)\b/g, '$1')
    .replace(/[*_~`|>#]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const name = plain.length > 90 ? `${plain.slice(0, 90).replace(/\s+\S*$/, '')}…` : plain;
  return name || 'Question';
}

export const USAGE_HINT =
  'Ask me anything about the article — mention me with your question, e.g. "@me who headed the NKVD at the height of the purge?", or use `/ask`. `/sections` lists what it covers.';
