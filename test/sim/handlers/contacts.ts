// Microsoft.Security/securityContacts at 2023-12-01-preview. Per subscription the seed chooses the list
// shape: `{ value: [...] }` (this spec) or the bare array 2020-01-01-preview returned.
import { notFound } from '../arm/errors.js';
import type { SeedSecurityContact } from '../seed-types.js';
import { ok, type Handler, type HandlerContext } from './types.js';

function toResource(subscriptionId: string, c: SeedSecurityContact): object {
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/securityContacts/${c.name}`,
    name: c.name,
    type: 'Microsoft.Security/securityContacts',
    properties: {
      emails: c.emails,
      ...(c.phone !== undefined ? { phone: c.phone } : {}),
      isEnabled: c.isEnabled ?? true,
      notificationsByRole: c.notificationsByRole ?? { state: 'Off', roles: [] },
      notificationsSources: c.notificationsSources ?? [],
    },
  };
}

function subscription(ctx: HandlerContext) {
  const id = ctx.params.subscriptionId ?? '';
  const sub = ctx.state.subscriptions.get(id.toLowerCase());
  if (!sub) throw notFound('SubscriptionNotFound', `The subscription '${id}' could not be found.`);
  return sub;
}

const list: Handler = (ctx) => {
  const sub = subscription(ctx);
  const items = sub.securityContacts.map((c) => toResource(sub.subscriptionId, c));
  return sub.contactsListShape === 'array' ? { status: 200, body: items, bareArray: true } : ok({ value: items });
};

const get: Handler = (ctx) => {
  const sub = subscription(ctx);
  const c = sub.securityContacts.find((x) => x.name.toLowerCase() === ctx.params.securityContactName?.toLowerCase());
  if (!c) {
    throw notFound('ResourceNotFound', `The security contact '${ctx.params.securityContactName}' was not found in subscription '${sub.subscriptionId}'.`);
  }
  return ok(toResource(sub.subscriptionId, c));
};

export const contactHandlers: Record<string, Handler> = {
  SecurityContacts_List: list,
  SecurityContacts_Get: get,
};
