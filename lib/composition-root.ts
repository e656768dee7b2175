import type { TokenCredential } from '@azure/core-auth';
import type { ArmClientOptions } from './azure/arm-client-options.js';
import type { ArmGateway } from './requests/ports/arm-gateway.js';
import { loadSettings, type Settings } from './config/settings.js';
import { STORAGE_NAMES } from './config/settings-catalog.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Mailer } from './notify/mailer.js';
import type { RequestEventMessage, RequestEventOutbox } from './notify/request-event.js';
import type { Notifier } from './requests/ports/notifier.js';
import type { ApplyMessage, NotifyMessage, WorkQueue } from './requests/ports/work-queue.js';
import type { RequestPorts } from './requests/ports.js';
import type { RequestStore } from './requests/ports/store.js';
import type { BurstWindows } from './requests/ports/burst-windows.js';
import type { SweepMessage } from './sweep/sweep-queue.js';
import type { SweepNotices } from './sweep/ports/sweep-notices.js';
import type { StorageConnection } from './store/storage-clients.js';
import type { SweepStore } from './sweep/ports/sweep-store.js';
import type { TicketStore } from './tickets/ticket-store.js';
import type { TicketWriter } from './tickets/ticket-writer.js';
import type { TicketsMessage } from './tickets/tickets-message.js';
import type { TicketSource } from './tickets/mapping.js';
import type { TeamsChannel } from './teams/teams-channel.js';

export interface AppOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** Pipeline retry timings; tests shorten them. */
  readonly armRetry?: ArmClientOptions['retry'];
  readonly mailRetryBackoffMs?: number;
}

/** What the functions get: validated settings and adapters, each built on first use. */
export interface AppServices {
  readonly settings: Settings;
  readonly clock: Clock;
  credential(): Promise<TokenCredential>;
  store(): Promise<RequestStore>;
  /** Where Defender relay events find their burst's open request (COALESCE_WINDOW_SECONDS). */
  burstWindows(): Promise<BurstWindows>;
  sweepStore(): Promise<SweepStore>;
  arm(): Promise<ArmGateway>;
  mailer(): Promise<Mailer>;
  notifier(): Promise<Notifier>;
  /** The sweep's notices (expiring with renewal links, expired, revoked, removed, digest), by email. */
  sweepNotices(): Promise<SweepNotices>;
  notifyQueue(): Promise<WorkQueue<NotifyMessage>>;
  applyQueue(): Promise<WorkQueue<ApplyMessage>>;
  sweepQueue(): Promise<WorkQueue<SweepMessage>>;
  ports(): Promise<RequestPorts>;
  /** The ticket channel's deliveries and ticket ↔ request links. */
  ticketStore(): Promise<TicketStore>;
  ticketsQueue(): Promise<WorkQueue<TicketsMessage>>;
  /** A writer per ticket system whose outbound settings are given. */
  ticketWriters(): Promise<Partial<Record<TicketSource, TicketWriter>>>;
  /** The Teams bot and card delivery; only when BOT_APP_ID is set (loads the Teams SDK). */
  teams(): Promise<TeamsChannel>;
}

let current: AppServices | undefined;

/** The process-wide services, built from process.env on first use. */
export function services(): AppServices {
  current ??= createServices();
  return current;
}

/** Replaces the process-wide services (the dev host and tests point them at Azurite and the simulator). */
export function configureServices(options: AppOptions): AppServices {
  current = createServices(options);
  return current;
}

export function createServices(options: AppOptions = {}): AppServices {
  const settings = loadSettings(options.env ?? process.env);
  const clock = options.clock ?? systemClock;
  const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= build().catch((error: unknown) => {
      value = undefined;
      throw error;
    }));
  };
  const credential = once(async (): Promise<TokenCredential> => (await import('./azure/credential.js')).credentialFrom(settings.identity));
  const storage = once(async (): Promise<StorageConnection> => settings.storage.kind === 'connectionString'
    ? settings.storage
    : { kind: 'identity', tableServiceUri: settings.storage.tableServiceUri, queueServiceUri: settings.storage.queueServiceUri, credential: await credential() });
  const queue = <T>(name: string) => once(async (): Promise<WorkQueue<T>> => {
    const [{ queueClient }, { StorageWorkQueue }] = await Promise.all([import('./store/storage-clients.js'), import('./queue/storage-work-queue.js')]);
    const connection = await storage();
    // With the managed identity the queues come from infra; locally (Azurite) we make them.
    return new StorageWorkQueue<T>(queueClient(connection, name), connection.kind === 'connectionString');
  });

  const requestTables = once(async () => {
    const { tableClient } = await import('./store/storage-clients.js');
    const connection = await storage();
    const requests = tableClient(connection, STORAGE_NAMES.requestsTable);
    const openKeys = tableClient(connection, STORAGE_NAMES.openKeysTable);
    if (connection.kind === 'connectionString') await Promise.all([requests.createTable(), openKeys.createTable()]);
    return { requests, openKeys };
  });
  const store = once(async (): Promise<RequestStore> => {
    const [{ TableRequestStore }, { requests, openKeys }] = await Promise.all([import('./store/table-request-store.js'), requestTables()]);
    return new TableRequestStore(requests, openKeys);
  });
  const burstWindows = once(async (): Promise<BurstWindows> => {
    const [{ TableBurstWindows }, { openKeys }, requests] = await Promise.all([import('./store/table-burst-windows.js'), requestTables(), store()]);
    return new TableBurstWindows(openKeys, async (id) => (await requests.get(id))?.value);
  });
  const sweepStore = once(async (): Promise<SweepStore> => {
    const [{ tableClient }, { TableSweepStore }] = await Promise.all([import('./store/storage-clients.js'), import('./store/table-sweep-store.js')]);
    const connection = await storage();
    const runs = tableClient(connection, STORAGE_NAMES.sweepRunsTable);
    const findings = tableClient(connection, STORAGE_NAMES.sweepFindingsTable);
    if (connection.kind === 'connectionString') await Promise.all([runs.createTable(), findings.createTable()]);
    return new TableSweepStore(runs, findings, clock);
  });
  const ticketsQueue = queue<TicketsMessage>(STORAGE_NAMES.ticketsQueue);
  const ticketWriters = once(async (): Promise<Partial<Record<TicketSource, TicketWriter>>> => {
    const { jira, servicenow } = settings.tickets;
    return {
      ...(jira ? { jira: new (await import('./tickets/jira-writer.js')).JiraWriter(jira) } : {}),
      ...(servicenow ? { servicenow: new (await import('./tickets/servicenow-writer.js')).ServiceNowWriter(servicenow, clock) } : {}),
    };
  });
  const ticketStore = once(async (): Promise<TicketStore> => {
    const [{ tableClient }, { TableTicketStore }] = await Promise.all([import('./store/storage-clients.js'), import('./tickets/table-ticket-store.js')]);
    const connection = await storage();
    const table = tableClient(connection, STORAGE_NAMES.ticketsTable);
    if (connection.kind === 'connectionString') await table.createTable();
    return new TableTicketStore(table);
  });
  const arm = once(async (): Promise<ArmGateway> => {
    const [{ AzureArmGateway }, { CachingArmGateway }] = await Promise.all([import('./azure/azure-arm-gateway.js'), import('./azure/caching-arm-gateway.js')]);
    const gateway = new AzureArmGateway({ endpoint: settings.armEndpoint, credential: await credential(), ...(options.armRetry ? { retry: options.armRetry } : {}) });
    return new CachingArmGateway(gateway, clock);
  });
  const mailer = once(async (): Promise<Mailer> => {
    const { RetryingMailer } = await import('./notify/retrying-mailer.js');
    const backoff = options.mailRetryBackoffMs ?? 2_000;
    const retry = { attempts: 3, backoffMs: (attempt: number) => backoff * attempt };
    if (settings.email.transport === 'smtp') {
      const { SmtpMailer } = await import('./notify/smtp-mailer.js');
      return new RetryingMailer(new SmtpMailer(settings.email), retry);
    }
    const { AcsMailer } = await import('./notify/acs-mailer.js');
    return new RetryingMailer(new AcsMailer(settings.email.endpoint, await credential(), settings.email.from), retry);
  });
  // The channels beyond e-mail that the settings turn on; each drains its own queue of request events.
  const teamsQueue = queue<RequestEventMessage>(STORAGE_NAMES.teamsQueue);
  const outboxes = once(async (): Promise<readonly RequestEventOutbox[]> => {
    const { queueOutbox } = await import('./notify/request-event.js');
    return [
      ...(settings.teams ? [queueOutbox('teams', teamsQueue)] : []),
      ...(settings.tickets.jira || settings.tickets.servicenow ? [queueOutbox('tickets', ticketsQueue)] : []),
    ];
  });
  const notifier = once(async (): Promise<Notifier> => {
    const { EmailNotifier } = await import('./notify/email-notifier.js');
    const links = { publicBaseUrl: settings.publicBaseUrl, signingKey: settings.review.signingKey, linkTtlHours: settings.review.linkTtlHours };
    const email = new EmailNotifier(await mailer(), links, clock);
    const others = await outboxes();
    if (others.length === 0) return email;
    const { FanOutNotifier } = await import('./notify/fan-out-notifier.js');
    return new FanOutNotifier(email, others);
  });
  const sweepNotices = once(async (): Promise<SweepNotices> => {
    const { SweepEmailNotices } = await import('./notify/sweep-email-notices.js');
    const links = { publicBaseUrl: settings.publicBaseUrl, signingKey: settings.review.signingKey, linkTtlHours: settings.review.linkTtlHours };
    const email = new SweepEmailNotices(await mailer(), links, clock);
    const others = await outboxes();
    if (others.length === 0) return email;
    const { FanOutSweepNotices } = await import('./notify/fan-out-notifier.js');
    return new FanOutSweepNotices(email, others);
  });
  const notifyQueue = queue<NotifyMessage>(STORAGE_NAMES.notifyQueue);
  const applyQueue = queue<ApplyMessage>(STORAGE_NAMES.applyQueue);
  const sweepQueue = queue<SweepMessage>(STORAGE_NAMES.sweepQueue);
  const ports = async (): Promise<RequestPorts> => {
    const [s, a, m, n, q] = await Promise.all([store(), arm(), notifier(), notifyQueue(), applyQueue()]);
    return { clock, store: s, arm: a, notifier: m, notifyQueue: n, applyQueue: q };
  };
  const teams = once(async (): Promise<TeamsChannel> => {
    if (!settings.teams) throw new Error('Teams is off: BOT_APP_ID is not set');
    const [{ tableClient }, { createTeamsChannel }] = await Promise.all([import('./store/storage-clients.js'), import('./teams/teams-channel.js')]);
    const connection = await storage();
    const conversationsTable = tableClient(connection, STORAGE_NAMES.teamsConversationsTable);
    const cardsTable = tableClient(connection, STORAGE_NAMES.teamsCardsTable);
    if (connection.kind === 'connectionString') await Promise.all([conversationsTable.createTable(), cardsTable.createTable()]);
    return createTeamsChannel({
      teams: settings.teams, clock, credential: await credential(), armEndpoint: settings.armEndpoint, conversationsTable, cardsTable, ports,
      decide: { fallbackApprovers: settings.review.fallbackApprovers, maxExpiryDays: settings.limits.maxExpiryDays },
      log: (level, message) => console[level](message),
    });
  });
  return {
    settings,
    clock,
    credential,
    store,
    burstWindows,
    sweepStore,
    arm,
    mailer,
    notifier,
    sweepNotices,
    notifyQueue,
    applyQueue,
    sweepQueue,
    ticketStore,
    ticketsQueue,
    ticketWriters,
    ports,
    teams,
  };
}
