import { getClient, type Client } from '@azure-rest/core-client';
import { armErrorFrom, toArmError } from './arm-error.js';
import { armPath, type ArmPath } from './arm-path.js';
import { credentialScope, type ArmClientOptions } from './arm-client-options.js';

type ArmMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

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

  /** `segments` are the path's unencoded parts (`['subscriptions', id, …]`); each is encoded on its own. */
  async send<T>(method: ArmMethod, segments: readonly string[], apiVersion: string, body?: unknown): Promise<{ status: number; body: T }> {
    return this.call<T>(method, armPath(segments), { 'api-version': apiVersion }, body);
  }

  /** Follows `nextLink` pages; accepts a bare array as well as `{ value: [...] }`. */
  async listAll<T>(segments: readonly string[], apiVersion: string): Promise<T[]> {
    const items: T[] = [];
    let page = await this.send<unknown>('GET', segments, apiVersion);
    for (;;) {
      if (Array.isArray(page.body)) return items.concat(page.body as T[]);
      const { value, nextLink } = page.body as { value?: T[]; nextLink?: string };
      items.push(...(value ?? []));
      if (!nextLink) return items;
      page = await this.followNextLink<unknown>(nextLink);
    }
  }

  /**
   * A nextLink carries its own api-version and paging state. Only its path and query are used, so the
   * request (and the bearer token) still goes to the configured endpoint; URL parsing has already
   * resolved and encoded the path.
   */
  private async followNextLink<T>(nextLink: string): Promise<{ status: number; body: T }> {
    const url = new URL(nextLink);
    return this.call<T>('GET', url.pathname as ArmPath, Object.fromEntries(url.searchParams.entries()));
  }

  private async call<T>(method: ArmMethod, path: ArmPath, queryParameters: Record<string, string>, body?: unknown): Promise<{ status: number; body: T }> {
    // Already encoded segment by segment; encoding it again would turn %2F into %252F.
    const resource = this.client.path('/{path}', { value: path.slice(1), allowReserved: true });
    const options = { queryParameters, ...(body === undefined ? {} : { body }) };
    let response;
    try {
      response = await (method === 'GET' ? resource.get(options) : method === 'PUT' ? resource.put(options)
        : method === 'POST' ? resource.post(options) : resource.delete(options));
    } catch (error) {
      throw toArmError(error, `${method} ${path}`);
    }
    const status = Number(response.status);
    if (status >= 400) throw armErrorFrom(status, response.body, `${method} ${path} answered ${status}`);
    return { status, body: response.body as T };
  }
}
