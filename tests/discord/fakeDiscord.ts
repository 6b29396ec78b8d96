/**
 * A small stand-in for Discord's REST API and gateway, for end-to-end tests of the real discord.js client.
 * It speaks just enough of API v10 for this bot, records every REST request (method, path, body) so tests can
 * assert on what the bot sent, and lets tests inject gateway events. Everything listens on 127.0.0.1.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { botMessage, channelPayload, guildCreate, ids, snowflake, threadPayload, type JsonObject } from './payloads.ts';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the /api/v10 prefix and without the query, e.g. "/webhooks/1/tok/messages/@original". */
  path: string;
  query: URLSearchParams;
  body: JsonObject | undefined;
  authorization: string | undefined;
}

export interface FakeDiscordOptions {
  token: string;
  /** When false, an IDENTIFY asking for the Message Content intent is refused with close code 4014. */
  messageContentAllowed?: boolean;
  /** Shards GET /gateway/bot recommends (default 1), and how many may identify at once (default 1). */
  shards?: number;
  maxConcurrency?: number;
  /** The bot's servers (default: `ids.guild`); a shard gets those with (id >> 22) % shard count = its id. */
  guilds?: string[];
}

/** The shard of a server, as Discord computes it. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

type Match = (r: RecordedRequest) => boolean;

interface Stall {
  match: Match;
  /** The request takes effect (a message is stored and announced), only its response never comes. */
  apply: boolean;
}

const MESSAGE_CONTENT_INTENT = 1 << 15;
const HAS_THREAD = 1 << 5;
const DEFAULT_WAIT_MS = 10_000;

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** IDENTIFY payloads received, in order. */
  readonly identifies: JsonObject[] = [];
  /** Opcodes the client sent on the gateway, in order (2 identify, 6 resume, 1 heartbeat). */
  readonly gatewayOps: number[] = [];
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  /** Which shard each identified connection is, as [id, count]. */
  private readonly shardOf = new Map<WebSocket, [number, number]>();
  private readonly messages = new Map<string, JsonObject>();
  private readonly originals = new Map<string, JsonObject>();
  private readonly channels = new Set<string>([ids.channel, ids.askChannel, ids.channel2]);
  private readonly channelGuilds = new Map<string, string>([[ids.channel2, ids.guild2]]);
  /** Interactions sent, by token: the message an interaction's response becomes names its interaction. */
  private readonly interactions = new Map<string, JsonObject>();
  /** Messages the bot sent with `enforce_nonce`, by channel and nonce (Discord returns the first instead of a duplicate). */
  private readonly nonces = new Map<string, JsonObject>();
  private readonly stalls: Stall[] = [];
  private readonly holds: Array<{ match: Match; released: Promise<void> }> = [];
  private readonly failures: Array<{ match: Match; status: number; body: unknown }> = [];
  private seq = 0;
  private intents = 0;
  /** While true, IDENTIFY is accepted but READY never comes (a gateway that goes quiet). */
  withholdReady = false;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    private readonly options: FakeDiscordOptions,
  ) {}

  static async start(options: FakeDiscordOptions): Promise<FakeDiscord> {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    const fake = new FakeDiscord(server, wss, options);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    wss.on('connection', (ws) => fake.onConnection(ws));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What DISCORD_API_URL should be; discord.js appends /v10. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** Index to pass to waitForRequest so only requests made after this point count. */
  mark(): number {
    return this.requests.length;
  }

  /** Resolves with the first request (from index `from` on) that matches, or rejects after `timeoutMs`. */
  waitForRequest(match: (r: RecordedRequest) => boolean, from = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    const found = this.requests.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.events.off('request', onRequest);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.events.off('request', onRequest);
        reject(new Error(`no matching request within ${timeoutMs} ms; got: ${this.requests.slice(from).map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`));
      }, timeoutMs);
      this.events.on('request', onRequest);
    });
  }

  /** Resolves when the client sends gateway opcode `op` (counting from index `from` of gatewayOps). */
  waitForGatewayOp(op: number, from = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (this.gatewayOps.slice(from).includes(op)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onOp = (seen: number) => {
        if (seen !== op) return;
        clearTimeout(timer);
        this.events.off('gateway', onOp);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('gateway', onOp);
        reject(new Error(`the client sent no gateway op ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on('gateway', onOp);
    });
  }

  /**
   * Sends a gateway dispatch (op 0) to every identified connection of the shard the event's server is on (direct
   * messages: shard 0); with one shard, to every connection.
   */
  dispatch(event: string, data: JsonObject): void {
    const frame = JSON.stringify({ op: 0, t: event, s: ++this.seq, d: data });
    for (const ws of this.sockets) {
      const [shard, count] = this.shardOf.get(ws) ?? [0, 1];
      const target = typeof data.guild_id === 'string' ? shardOfGuild(data.guild_id, count) : 0;
      if (target === shard) ws.send(frame);
    }
  }

  /** The [shard id, shard count] of each IDENTIFY so far. */
  get identifiedShards(): Array<[number, number]> {
    return this.identifies.map((d) => (Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1]));
  }

  /**
   * A user's message, as Discord would deliver it: without the Message Content intent the text is blanked
   * unless the bot is mentioned or the message is a direct message to it.
   */
  sendUserMessage(message: JsonObject): void {
    const mentions = (message.mentions as JsonObject[] | undefined) ?? [];
    const mentioned = mentions.some((u) => u.id === ids.bot);
    const direct = message.channel_type === 1;
    if (direct) this.channels.add(String(message.channel_id));
    const visible = (this.intents & MESSAGE_CONTENT_INTENT) !== 0 || mentioned || direct;
    const delivered = visible ? message : { ...message, content: '' };
    this.messages.set(String(message.id), message);
    this.dispatch('MESSAGE_CREATE', delivered);
  }

  /** Stores a user's message without announcing it: one the bot saw before it was restarted. */
  storeMessage(message: JsonObject): void {
    this.messages.set(String(message.id), message);
  }

  /** Sends an INTERACTION_CREATE. */
  sendInteraction(interaction: JsonObject): void {
    this.interactions.set(String(interaction.token), interaction);
    this.dispatch('INTERACTION_CREATE', interaction);
  }

  /**
   * From now on, requests that match are recorded and never answered, as when the process dies while Discord is still
   * answering. With `apply`, they take effect all the same (the message reaches Discord; only the reply is lost).
   * Returns a function that ends the stall for later requests.
   */
  stall(match: Match, options: { apply?: boolean } = {}): () => void {
    const stall = { match, apply: options.apply ?? false };
    this.stalls.push(stall);
    return () => {
      const i = this.stalls.indexOf(stall);
      if (i >= 0) this.stalls.splice(i, 1);
    };
  }

  /**
   * From now on, requests that match are recorded (and announced to waitForRequest) at once, but answered only when
   * the returned function is called: a slow Discord, to catch a process in the middle of sending.
   */
  hold(match: Match): () => void {
    let release!: () => void;
    const hold = { match, released: new Promise<void>((resolve) => (release = resolve)) };
    this.holds.push(hold);
    return () => {
      this.holds.splice(this.holds.indexOf(hold), 1);
      release();
    };
  }

  /** The next request that matches gets this error response instead of its normal one. */
  failNext(match: Match, status: number, body: unknown): void {
    this.failures.push({ match, status, body });
  }

  /** Reactions the bot added (PUT …/reactions/<emoji>/@me), as [message id, emoji], in order. */
  reactions(from = 0): Array<[string, string]> {
    return this.requests
      .slice(from)
      .map((r) => (r.method === 'PUT' ? /^\/channels\/\d+\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/.exec(r.path) : null))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]);
  }

  /** Makes a channel known to the fake (and, via the next dispatch, to the client). */
  addThread(thread: JsonObject): void {
    this.channels.add(String(thread.id));
    this.dispatch('THREAD_CREATE', thread);
  }

  /** A message the bot sent earlier (by id), as stored. */
  message(id: string): JsonObject | undefined {
    return this.messages.get(id);
  }

  /** The message an interaction's reply became (after its reply or edit), by interaction token. */
  originalMessage(token: string): JsonObject | undefined {
    return this.originals.get(token);
  }

  /** Closes gateway connections (4000 = unknown error: the client resumes). */
  dropConnections(code = 4000): void {
    for (const ws of this.sockets) ws.close(code, 'test');
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private guildOfChannel(channelId: string): string {
    return this.channelGuilds.get(channelId) ?? ids.guild;
  }

  // --- gateway -------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: JsonObject };
      this.gatewayOps.push(frame.op);
      this.events.emit('gateway', frame.op);
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) this.onIdentify(ws, frame.d);
      else if (frame.op === 6) {
        const [, shard, count] = /^fake-session-(\d+)-(\d+)$/.exec(String(frame.d.session_id)) ?? [];
        if (shard !== undefined) this.shardOf.set(ws, [Number(shard), Number(count)]);
        this.sockets.add(ws);
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
      }
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.shardOf.delete(ws);
    });
  }

  private onIdentify(ws: WebSocket, d: JsonObject): void {
    this.identifies.push(d);
    if (d.token !== this.options.token) return ws.close(4004, 'Authentication failed.');
    const intents = Number(d.intents);
    if (intents & MESSAGE_CONTENT_INTENT && this.options.messageContentAllowed === false) return ws.close(4014, 'Disallowed intent(s).');
    this.intents = intents;
    const [shard, count] = Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1];
    this.shardOf.set(ws, [shard, count]);
    const guilds = (this.options.guilds ?? [ids.guild]).filter((g) => shardOfGuild(g, count) === shard);
    if (this.withholdReady) return;
    this.sockets.add(ws);
    const url = `ws://127.0.0.1:${this.port}`;
    ws.send(
      JSON.stringify({
        op: 0,
        t: 'READY',
        s: ++this.seq,
        d: {
          v: 10,
          user: { id: ids.bot, username: 'QuoteBot', discriminator: '0', global_name: null, avatar: null, bot: true },
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          session_id: `fake-session-${shard}-${count}`,
          resume_gateway_url: url,
          application: { id: ids.app, flags: 0 },
          ...(Array.isArray(d.shard) ? { shard: d.shard } : {}),
        },
      }),
    );
    for (const id of guilds) ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guildCreate(id) }));
  }

  // --- REST ----------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, ''),
      query: url.searchParams,
      body: text && req.headers['content-type']?.includes('json') ? (JSON.parse(text) as JsonObject) : undefined,
      authorization: req.headers.authorization,
    };
    this.requests.push(record);
    const hold = this.holds.find((h) => h.match(record));
    if (hold) {
      this.events.emit('request', record);
      await hold.released;
    }
    const stall = this.stalls.find((s) => s.match(record));
    if (stall) {
      if (stall.apply) this.route(record);
      // No response: the connection is cut when the client process dies or the fake closes.
      this.events.emit('request', record);
      return;
    }
    const send = (status: number, body?: unknown) => {
      if (body === undefined) {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      const failure = this.failures.findIndex((f) => f.match(record));
      if (failure >= 0) {
        const { status, body } = this.failures.splice(failure, 1)[0]!;
        send(status, body);
      } else if (record.authorization !== undefined && record.authorization !== `Bot ${this.options.token}`) {
        send(401, { message: '401: Unauthorized', code: 0 });
      } else {
        const [status, body] = this.route(record);
        send(status, body);
      }
    } catch (error) {
      send(500, { message: String(error), code: 0 });
    }
    // Emitted after answering, so a test that awaits a request sees the client's view settle soon after.
    if (!hold) this.events.emit('request', record);
  }

  private route(r: RecordedRequest): [number, unknown?] {
    const m = (pattern: RegExp) => pattern.exec(r.path);
    const body = r.body ?? {};
    let p: RegExpExecArray | null;

    if (r.method === 'GET' && r.path === '/gateway/bot') {
      const { shards = 1, maxConcurrency = 1 } = this.options;
      return [200, { url: `ws://127.0.0.1:${this.port}`, shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: maxConcurrency } }];
    }
    if (r.method === 'GET' && (r.path === '/applications/@me' || r.path === '/oauth2/applications/@me')) {
      return [200, { id: ids.app, name: 'QuoteBot', description: '', bot_public: true, bot_require_code_grant: false, verify_key: 'x', flags: 0 }];
    }
    if (r.method === 'PUT' && (p = m(/^\/applications\/(\d+)(?:\/guilds\/\d+)?\/commands$/))) {
      const list = Array.isArray(body) ? (body as JsonObject[]) : [];
      return [200, list.map((c) => ({ ...c, id: snowflake(), application_id: p![1], version: snowflake() }))];
    }
    if (r.method === 'POST' && (p = m(/^\/channels\/(\d+)\/typing$/))) return [204];
    if ((r.method === 'PUT' || r.method === 'DELETE') && m(/^\/channels\/\d+\/messages\/\d+\/reactions\/[^/]+\/@me$/)) return [204];
    if (r.method === 'POST' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      const started = this.messages.get(p[2]!);
      if (started?.thread) return [400, { message: 'A thread has already been created for this message', code: 160004 }];
      const guildId = this.guildOfChannel(p[1]!);
      const thread = threadPayload({ id: p[2]!, parentId: p[1]!, name: String(body.name ?? 'thread'), ownerId: ids.bot, guildId });
      // Discord lists the thread on the message it was started from.
      if (started) this.messages.set(p[2]!, { ...started, thread, flags: Number(started.flags ?? 0) | HAS_THREAD });
      this.channels.add(p[2]!);
      this.channelGuilds.set(p[2]!, guildId);
      // Discord announces the new thread on the gateway too.
      setImmediate(() => this.dispatch('THREAD_CREATE', { ...thread, newly_created: true }));
      return [201, thread];
    }
    if (r.method === 'POST' && (p = m(/^\/channels\/(\d+)\/messages$/))) {
      if (!this.channels.has(p[1]!)) return [404, { message: 'Unknown Channel', code: 10003 }];
      const nonceKey = body.nonce !== undefined && body.enforce_nonce ? `${p[1]}:${String(body.nonce)}` : undefined;
      const earlier = nonceKey ? this.nonces.get(nonceKey) : undefined;
      if (earlier) return [200, earlier];
      const message = botMessage({ channelId: p[1]!, body, guildId: this.guildOfChannel(p[1]!) });
      this.messages.set(String(message.id), message);
      if (nonceKey) this.nonces.set(nonceKey, message);
      setImmediate(() => this.dispatch('MESSAGE_CREATE', message));
      return [200, message];
    }
    if (r.method === 'PATCH' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const message = { ...(this.messages.get(p[2]!) ?? botMessage({ channelId: p[1]!, body: {} })), ...body, id: p[2]! };
      this.messages.set(p[2]!, message);
      return [200, message];
    }
    if (r.method === 'GET' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const message = this.messages.get(p[2]!);
      return message ? [200, message] : [404, { message: 'Unknown Message', code: 10008 }];
    }
    if (r.method === 'GET' && (p = m(/^\/channels\/(\d+)$/))) {
      return this.channels.has(p[1]!) ? [200, channelPayload(p[1]!, this.guildOfChannel(p[1]!))] : [404, { message: 'Unknown Channel', code: 10003 }];
    }
    if (r.method === 'POST' && (p = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const data = (body.data as JsonObject | undefined) ?? {};
      // A message reply (4) or an update (7) becomes the interaction's original message.
      if (body.type === 4 || body.type === 7) this.originals.set(p[2]!, this.responseMessage(p[2]!, data));
      if (r.query.get('with_response') === 'true') return [200, { interaction: { id: p[1], type: 2 }, resource: { type: body.type } }];
      return [204];
    }
    if ((p = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/))) {
      const token = p[2]!;
      if (r.method === 'DELETE') {
        this.originals.delete(token);
        return [204];
      }
      const current = this.originals.get(token) ?? this.responseMessage(token, {});
      const next = r.method === 'PATCH' ? { ...current, ...body, id: current.id } : current;
      this.originals.set(token, next);
      this.messages.set(String(next.id), next);
      return [200, next];
    }
    if (r.method === 'POST' && (p = m(/^\/webhooks\/(\d+)\/([^/]+)$/))) {
      const message = botMessage({ channelId: ids.channel, body });
      this.messages.set(String(message.id), message);
      return [200, message];
    }
    if (r.method === 'PATCH' && (p = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/))) {
      const message = { ...(this.messages.get(p[3]!) ?? {}), ...body, id: p[3]! };
      this.messages.set(p[3]!, message);
      return [200, message];
    }
    return [404, { message: `fake Discord has no route for ${r.method} ${r.path}`, code: 0 }];
  }

  /** The message an interaction's response becomes: it names the interaction, as Discord's `interaction_metadata` does. */
  private responseMessage(token: string, body: JsonObject): JsonObject {
    const interaction = this.interactions.get(token);
    const member = interaction?.member as JsonObject | undefined;
    const metadata = interaction ? { interaction_metadata: { id: interaction.id, type: interaction.type, user: member?.user ?? interaction.user, authorizing_integration_owners: {} } } : {};
    return botMessage({ channelId: ids.channel, body: { ...metadata, ...body } });
  }
}
