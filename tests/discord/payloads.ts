/** Builders for the Discord API v10 payloads the fake server sends and answers with: only the fields discord.js reads. */

export type JsonObject = Record<string, unknown>;

let counter = 0n;
/** Increasing snowflakes, so ordering by id matches creation order as on Discord. */
export function snowflake(): string {
  counter++;
  return String(((BigInt(Date.now()) - 1420070400000n) << 22n) + counter);
}

export const ids = {
  app: '111111111111111111',
  bot: '111111111111111111', // Discord bots share their application's id
  guild: '222222222222222222',
  channel: '333333333333333333',
  /** Listed in ASK_CHANNEL_IDS by the tests that need it. */
  askChannel: '333333333333333334',
  alice: '444444444444444444',
  bob: '555555555555555555',
  otherBot: '666666666666666666',
  role: '777777777777777777',
  /** The role Discord makes for the bot when it joins a server ("managed", tagged with the bot's id). */
  botRole: '888888888888888888',
  /** A second server, for the shard tests: with two shards, `ids.guild` is on shard 1 and this one on shard 0. */
  guild2: '232222222222222222',
  channel2: '343333333333333333',
} as const;

export const botUser = { id: ids.bot, username: 'QuoteBot', discriminator: '0', global_name: null, avatar: null, bot: true };

export function user(id: string, username: string, bot = false): JsonObject {
  return { id, username, discriminator: '0', global_name: username, avatar: null, ...(bot ? { bot: true } : {}) };
}
export const alice = user(ids.alice, 'alice');
export const bob = user(ids.bob, 'bob');
export const otherBot = user(ids.otherBot, 'otherbot', true);

export function channelPayload(id: string, guildId: string = ids.guild): JsonObject {
  return { id, type: 0, guild_id: guildId, name: 'general', position: 0, permission_overwrites: [], nsfw: false, parent_id: null };
}

/** The server's GUILD_CREATE; `ids.guild2` has one channel, `ids.channel2`. */
export function guildCreate(guildId: string = ids.guild): JsonObject {
  const channels = guildId === ids.guild ? [channelPayload(ids.channel), { ...channelPayload(ids.askChannel), name: 'ask-the-article' }] : [channelPayload(ids.channel2, guildId)];
  return {
    id: guildId,
    name: 'Test server',
    icon: null,
    owner_id: ids.alice,
    unavailable: false,
    member_count: 3,
    roles: [
      { id: guildId, name: '@everyone', permissions: '0', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      { id: ids.role, name: 'moderators', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 },
      { id: ids.botRole, name: 'QuoteBot', permissions: '0', position: 2, color: 0, hoist: false, managed: true, mentionable: true, flags: 0, tags: { bot_id: ids.bot } },
    ],
    emojis: [],
    stickers: [],
    features: [],
    channels,
    threads: [],
    members: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function threadPayload(t: { id: string; parentId: string; name: string; ownerId: string; guildId?: string }): JsonObject {
  return {
    id: t.id,
    type: 11,
    guild_id: t.guildId ?? ids.guild,
    parent_id: t.parentId,
    owner_id: t.ownerId,
    name: t.name,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

function messageBase(channelId: string, guildId: string = ids.guild): JsonObject {
  return {
    id: snowflake(),
    channel_id: channelId,
    guild_id: guildId,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
  };
}

/** The message the fake stores and returns for something the bot posted. */
export function botMessage(m: { channelId: string; body: JsonObject; guildId?: string }): JsonObject {
  const reference = m.body.message_reference as JsonObject | undefined;
  return {
    ...messageBase(m.channelId, m.guildId),
    author: botUser,
    content: '',
    mentions: [],
    ...m.body,
    type: reference ? 19 : 0,
    ...(reference ? { message_reference: { ...reference, channel_id: m.channelId, guild_id: m.guildId ?? ids.guild } } : {}),
  };
}

/** A message from a user. `mentions` lists the users mentioned (discord.js reads them from here, not from the text). */
export function userMessage(m: {
  content: string;
  author?: JsonObject;
  channelId?: string;
  mentions?: JsonObject[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  replyTo?: JsonObject;
  guildId?: string;
}): JsonObject {
  const channelId = m.channelId ?? ids.channel;
  const author = m.author ?? alice;
  return {
    ...messageBase(channelId, m.guildId),
    author,
    member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    content: m.content,
    mentions: m.mentions ?? [],
    mention_roles: m.mentionRoles ?? [],
    mention_everyone: m.mentionEveryone ?? false,
    type: m.replyTo ? 19 : 0,
    ...(m.replyTo
      ? {
          message_reference: { type: 0, message_id: m.replyTo.id, channel_id: channelId, guild_id: m.guildId ?? ids.guild },
          referenced_message: m.replyTo,
        }
      : {}),
  };
}

/** A direct message to the bot: no guild or member, and `channel_type` 1, from which discord.js makes a DM channel. */
export function directMessage(m: { content: string; channelId: string; author?: JsonObject }): JsonObject {
  const { guild_id: _guild, member: _member, ...message } = userMessage(m);
  return { ...message, channel_type: 1 };
}

/** "<@bot> question" with the mention in `mentions`, as Discord delivers a mention. */
export function mentionMessage(question: string, extra: Partial<Parameters<typeof userMessage>[0]> = {}): JsonObject {
  return userMessage({ ...extra, content: `<@${ids.bot}> ${question}`, mentions: [botUser, ...(extra.mentions ?? [])] });
}

const PERMISSIONS = {
  member: String((1n << 10n) | (1n << 11n)), // View Channel, Send Messages
  admin: String((1n << 5n) | (1n << 10n) | (1n << 11n)), // + Manage Server
};

function interactionBase(type: number, u: JsonObject, admin: boolean, where: { guildId?: string; channelId?: string } = {}): JsonObject {
  const guildId = where.guildId ?? ids.guild;
  const channelId = where.channelId ?? ids.channel;
  return {
    id: snowflake(),
    application_id: ids.app,
    type,
    token: `tok-${snowflake()}`,
    version: 1,
    guild_id: guildId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
    channel_id: channelId,
    member: {
      user: u,
      roles: [],
      permissions: admin ? PERMISSIONS.admin : PERMISSIONS.member,
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: PERMISSIONS.member,
    locale: 'en-US',
    guild_locale: 'en-US',
    // discord.js throws inside its handler without these two.
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
  };
}

export interface CommandOptions {
  user?: JsonObject;
  admin?: boolean;
  /** Default: `ids.guild` and `ids.channel`. */
  guildId?: string;
  channelId?: string;
}

/** A slash command (type 2) with string options. */
export function slashCommand(name: string, options: Record<string, string> = {}, o: CommandOptions = {}): JsonObject {
  return {
    ...interactionBase(2, o.user ?? alice, o.admin ?? false, o),
    data: { id: snowflake(), name, type: 1, options: Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v })) },
  };
}

/** Autocomplete (type 4) with one focused string option. */
export function autocomplete(name: string, option: string, typed: string, o: CommandOptions = {}): JsonObject {
  return {
    ...interactionBase(4, o.user ?? alice, o.admin ?? false),
    data: { id: snowflake(), name, type: 1, options: [{ name: option, type: 3, value: typed, focused: true }] },
  };
}

/** A message context-menu command (type 2, command type 3) on `target`, which Discord sends resolved, text included. */
export function messageCommand(name: string, target: JsonObject, o: CommandOptions = {}): JsonObject {
  const id = String(target.id);
  return {
    ...interactionBase(2, o.user ?? alice, o.admin ?? false),
    data: { id: snowflake(), name, type: 3, target_id: id, resolved: { messages: { [id]: target } } },
  };
}

/** A button press (type 3, component type 2) on a message the bot sent. */
export function buttonPress(customId: string, message: JsonObject, o: CommandOptions = {}): JsonObject {
  return {
    ...interactionBase(3, o.user ?? alice, o.admin ?? false, o),
    message,
    data: { custom_id: customId, component_type: 2 },
  };
}
