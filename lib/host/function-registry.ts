import { app, type HttpHandler, type HttpMethod, type StorageQueueHandler, type TimerHandler } from '@azure/functions';

export type FunctionDefinition =
  | { readonly kind: 'http'; readonly name: string; readonly route: string; readonly methods: readonly HttpMethod[]; readonly authLevel: 'anonymous' | 'function'; readonly handler: HttpHandler }
  | { readonly kind: 'queue'; readonly name: string; readonly queueName: string; readonly handler: StorageQueueHandler }
  /**
   * `schedule` is NCRONTAB with seconds, in UTC (Flex Consumption ignores WEBSITE_TIME_ZONE), or `%NAME%`:
   * the host then reads it from the app setting NAME.
   */
  | { readonly kind: 'timer'; readonly name: string; readonly schedule: string; readonly handler: TimerHandler };

/** The queue trigger's storage connection: the host's own, identity-based in Azure. */
export const QUEUE_CONNECTION = 'AzureWebJobsStorage';

const definitions: FunctionDefinition[] = [];

// Without HTTP streams the host buffers a whole request body before the worker sees a byte, whatever its
// size; with them the handlers' readers count bytes off the wire and stop at their cap. Every function
// module imports this one before registering, so this runs before the host locks its setup.
enableHttpStreams();

function enableHttpStreams(): void {
  // Outside the host (tests, the local host) the library reports this on console.debug: not news there.
  const debug = console.debug;
  console.debug = () => undefined;
  try {
    app.setup({ enableHttpStream: true });
  } finally {
    console.debug = debug;
  }
}

/**
 * Registers with the Functions host and remembers the definition, so the local dev host serves exactly
 * what Azure would.
 */
export function defineHttpFunction(definition: Omit<Extract<FunctionDefinition, { kind: 'http' }>, 'kind'>): void {
  definitions.push({ kind: 'http', ...definition });
  app.http(definition.name, {
    route: definition.route,
    methods: [...definition.methods],
    authLevel: definition.authLevel,
    handler: definition.handler,
  });
}

export function defineQueueFunction(definition: Omit<Extract<FunctionDefinition, { kind: 'queue' }>, 'kind'>): void {
  definitions.push({ kind: 'queue', ...definition });
  app.storageQueue(definition.name, { queueName: definition.queueName, connection: QUEUE_CONNECTION, handler: definition.handler });
}

export function defineTimerFunction(definition: Omit<Extract<FunctionDefinition, { kind: 'timer' }>, 'kind'>): void {
  definitions.push({ kind: 'timer', ...definition });
  app.timer(definition.name, { schedule: definition.schedule, handler: definition.handler });
}

export function registeredFunctions(): readonly FunctionDefinition[] {
  return definitions;
}
