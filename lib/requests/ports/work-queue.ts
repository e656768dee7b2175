/** Messages between functions; JSON bodies (host.json sets messageEncoding "none"). */
export interface NotifyMessage {
  readonly kind: 'notify';
  readonly requestId: string;
}

export interface ApplyMessage {
  readonly kind: 'apply';
  readonly requestId: string;
}

export interface SendOptions {
  /** The message stays invisible to the worker this long (a burst's notification waits for its window). */
  readonly delaySeconds?: number;
}

export interface WorkQueue<T> {
  send(message: T, options?: SendOptions): Promise<void>;
}
