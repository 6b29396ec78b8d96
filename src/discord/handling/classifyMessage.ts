import type { QuestionSource } from '../functions/answerQuestion.ts';
import { LIMITS } from '../render/limits.ts';
import { stripMentions } from './mentions.ts';

/** What the message handler knows about a message, reduced to what decides whether and how to answer. */
export interface MessageFacts {
  /** Bots, webhooks and the bot itself are never answered (no loops between bots). */
  fromBot: boolean;
  /** The bot's user, or the role Discord made for it, is among the message's mentions (not @everyone or another role). */
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

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Room for the name before "…"; Discord allows 100 characters, and UTF-16 units are never fewer than code points. */
const THREAD_NAME_ROOM = 90;

/**
 * A thread name from the question: mentions, control characters and the markdown that would show as symbols removed
 * (underscores kept: they belong to names), cut between whole characters (never half an emoji) at a word end when
 * it is long.
 */
export function threadNameFor(question: string): string {
  const plain = stripMentions(question)
    // Control and format characters, except the joiner and tags inside emoji sequences.
    .replace(/(?![\u200D\u{E0020}-\u{E007F}])[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/[*`~|]/g, '')
    .replace(/^\s*(?:>+|#+|-#)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= LIMITS.threadName) return plain || 'Question';
  let kept = '';
  for (const { segment } of GRAPHEMES.segment(plain)) {
    if (kept.length + segment.length > THREAD_NAME_ROOM) break;
    kept += segment;
  }
  const atWord = kept.replace(/\s+\S*$/u, '');
  return `${(atWord.length >= THREAD_NAME_ROOM / 2 ? atWord : kept).trimEnd()}…`;
}

export const USAGE_HINT =
  'Ask me anything about the articles — mention me with your question ("@me who …?", "@me why …?"), or use `/ask`. `/sections` lists what they cover.';
