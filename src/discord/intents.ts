import { GatewayIntentBits } from 'discord.js';
import type { Config } from '../config/config.ts';

/**
 * Guilds (channels, threads), GuildMessages and DirectMessages (message events) are always needed; without Message Content,
 * Discord still sends the text of messages that mention the bot, so mentions and slash commands work.
 * Message Content (privileged: enable it in the Developer Portal) is requested only when a feature reads
 * messages that do not mention the bot: ASK_CHANNEL_IDS, and follow-ups in the bot's threads (REPLY_MODE=thread).
 */
export function needsMessageContent(config: Config): boolean {
  return config.discord.askChannelIds.length > 0 || config.discord.replyMode === 'thread';
}

export function intentsFor(config: Config): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  if (needsMessageContent(config)) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}
