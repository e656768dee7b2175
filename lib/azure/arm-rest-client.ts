import { getClient, type Client } from '@azure-rest/core-client';
import { armErrorFrom, toArmError } from './arm-error.js';
import { credentialScope, type ArmClientOptions } from './arm-client-options.js';

/**
 * ARM calls that no current SDK package covers at the api-version we need (exemptions, security
 * contacts), made through the Azure core pipeline: bearer auth, retries with Retry-After, HTTPS only.
 */
export class ArmRestClient {
  private readonly client: Client;

  constructor(options: ArmClientOptions) {
    this.client = getClient(options.endpoint, options.credential, {
      credentials: { scopes: [credentialScope(options.endpoint)] },
      ...(options.retry ? { retryOptions: options.retry } : {}),
    });
  }

  /** `path` is an absolute ARM path such as /subscriptions/…; its characters are sent as they are. */
  async send<T>(method: 'GET' | 'PUT' | 'DELETE', path: string, apiVersion: string, body?: unknown): Promise<{ status: number; body: T }> {
    return this.call<T>(method, path, { 'api-version': apiVersion }, body);
  }

  /** Follows `nextLink` pages; accepts a bare array as well as `{ value: [...] }`. */
  async listAll<T>(path: string, apiVersion: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let version: string | undefined = apiVersion;
    while (next) {
      const { body } = await this.sendUrl<unknown>(next, version);
      if (Array.isArray(body)) return items.concat(body as T[]);
      const page = body as { value?: T[]; nextLink?: string };
      items.push(...(page.value ?? []));
      next = page.nextLink;
      version = undefined; // nextLink carries its own api-version
    }
    return items;
  }

  /** A nextLink already carries its api-version and paging state in its query. */
  private async sendUrl<T>(pathOrUrl: string, apiVersion: string | undefined): Promise<{ status: number; body: T }> {
    if (apiVersion) return this.send<T>('GET', pathOrUrl, apiVersion);
    const url = new URL(pathOrUrl);
    return this.call<T>('GET', url.pathname, Object.fromEntries(url.searchParams.entries()));
  }

  private async call<T>(method: 'GET' | 'PUT' | 'DELETE', path: string, queryParameters: Record<string, string>, body?: unknown): Promise<{ status: number; body: T }> {
    const resource = this.client.path('/{path}', { value: path.replace(/^\/+/, ''), allowReserved: true });
    const options = { queryParameters, ...(body === undefined ? {} : { body }) };
    let response;
    try {
      response = await (method === 'GET' ? resource.get(options) : method === 'PUT' ? resource.put(options) : resource.delete(options));
    } catch (error) {
      throw toArmError(error, `${method} ${path}`);
    }
    const status = Number(response.status);
    if (status >= 400) throw armErrorFrom(status, response.body, `${method} ${path} answered ${status}`);
    return { status, body: response.body as T };
  }
}
