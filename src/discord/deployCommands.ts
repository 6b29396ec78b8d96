import { ApplicationCommandType, REST, Routes, type APIApplication, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { requireDiscordToken, type Config } from '../config/config.ts';
import { commands } from './interactions/index.ts';

export interface DeployResult {
  applicationId: string;
  scope: 'guild' | 'global';
  /** As users see them: "/ask" for a slash command, "Ask about this message" for a message command. */
  names: string[];
}

/**
 * Registers the slash commands and the message command (replacing the previous set): to DISCORD_GUILD_ID when set, which is instant,
 * else globally. The application id comes from DISCORD_APPLICATION_ID or from the token's application.
 */
export async function deployCommands(config: Config): Promise<DeployResult> {
  const token = requireDiscordToken(config);
  const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(token);
  const applicationId = config.discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const guildId = config.discord.guildId;
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: commands })) as RESTPutAPIApplicationCommandsResult;
  const names = registered.map((c) => (c.type === ApplicationCommandType.Message ? `"${c.name}" (message menu)` : `/${c.name}`));
  return { applicationId, scope: guildId ? 'guild' : 'global', names };
}
