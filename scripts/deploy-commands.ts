/**
 * `npm run deploy-commands`: registers the slash commands and the message command with Discord — to DISCORD_GUILD_ID when set
 * (instant; for development), else globally (may take up to an hour to appear everywhere).
 */
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { deployCommands } from '../src/discord/deployCommands.ts';
import { asStartupError } from '../src/discord/startupErrors.ts';
import { runMain } from '../src/errors/runMain.ts';

runMain(async () => {
  loadEnvFile();
  const config = loadConfig();
  const result = await deployCommands(config).catch((error: unknown) => {
    throw asStartupError(error);
  });
  const where = result.scope === 'guild' ? `server ${config.discord.guildId}` : 'all servers (global; may take up to an hour to show)';
  console.log(`Registered ${result.names.join(', ')} for application ${result.applicationId} in ${where}.`);
});
