/** Messages between functions; JSON bodies (host.json sets messageEncoding "none"). */
export interface NotifyMessage {
  readonly kind: 'notify';
  readonly requestId: string;
}

export interface ApplyMessage {
  readonly kind: 'apply';
  readonly requestId: string;
}

export interface WorkQueue<T> {
  send(message: T): Promise<void>;
}
