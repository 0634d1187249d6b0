'use strict';

// Triggers as REST hooks: Zapier subscribes a target URL for one Cyan event
// (POST /api/v1/hooks → {id, secret}), Cyan POSTs each event there signed the Standard
// Webhooks way, and Zapier unsubscribes with DELETE /api/v1/hooks/{id}. performList gives
// real recent objects, shaped like a delivery's `data`, for setting a Zap up.

const crypto = require('crypto');
const { baseUrl } = require('./http');

const header = (headers, name) => {
  const wanted = [name, `http-${name}`];
  const found = Object.keys(headers || {}).find((key) => wanted.includes(key.toLowerCase()));
  return found === undefined ? undefined : headers[found];
};

// True when one of the `v1,<base64>` signatures is HMAC-SHA256(id.timestamp.body) under
// the subscription's `whsec_` secret (https://www.standardwebhooks.com/).
const verifySignature = ({ secret, headers, body }) => {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!secret || !id || !timestamp || !signatures) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(signatures)
    .split(' ')
    .some((versioned) => {
      const [version, signature] = versioned.split(',');
      const given = Buffer.from(signature || '', 'base64');
      return version === 'v1' && given.length === expected.length && crypto.timingSafeEqual(given, expected);
    });
};

const hookTrigger = ({ key, event, noun, label, description, sample }) => ({
  key,
  noun,
  display: { label, description },
  operation: {
    type: 'hook',
    performSubscribe: async (z, bundle) => {
      const response = await z.request({
        url: `${baseUrl(bundle)}/api/v1/hooks`,
        method: 'POST',
        body: { target_url: bundle.targetUrl, event },
      });
      return response.data; // {id, secret, …}: kept by Zapier as bundle.subscribeData
    },
    performUnsubscribe: async (z, bundle) => {
      await z.request({
        url: `${baseUrl(bundle)}/api/v1/hooks/${bundle.subscribeData.id}`,
        method: 'DELETE',
      });
      return {};
    },
    perform: (z, bundle) => {
      const raw = bundle.rawRequest;
      const secret = bundle.subscribeData && bundle.subscribeData.secret;
      // When Zapier hands over the raw request, a delivery that does not carry this
      // subscription's signature is refused rather than trusted.
      if (raw && raw.headers && secret) {
        const ok = verifySignature({ secret, headers: raw.headers, body: raw.content });
        if (!ok) {
          throw new z.errors.Error('The delivery is not signed with this subscription\'s secret.', 'bad_signature', 401);
        }
      }
      const envelope = bundle.cleanedRequest || {};
      if (envelope.type !== event) return [];
      return [envelope.data];
    },
    performList: async (z, bundle) => {
      const response = await z.request({
        url: `${baseUrl(bundle)}/api/v1/hooks/samples`,
        params: { event },
      });
      return response.data.data;
    },
    sample,
  },
});

const SALE_SAMPLE = { id: 1, contact_id: 1, sale_date: '2026-06-14', status: 'active', source: 'pictime', currency: 'GBP', total_minor: 4500, total: '45.00', lines: [] };
const CONTACT_SAMPLE = { id: 1, first_name: 'Ada', last_name: 'Lovelace', display_name: 'Ada Lovelace', emails: [], phones: [] };
const ITEM_SAMPLE = { id: 1, kind: 'order', state: 'new', source: 'pictime', order_number: '1001', customer_name: 'Ada Lovelace', currency: 'GBP', total_minor: 4500, total: '45.00' };

const triggers = [
  hookTrigger({ key: 'new_sale', event: 'sale.created', noun: 'Sale', label: 'New Sale', description: 'Triggers when a sale is created in Cyan (including an imported order).', sample: SALE_SAMPLE }),
  hookTrigger({ key: 'new_contact', event: 'contact.created', noun: 'Contact', label: 'New Contact', description: 'Triggers when a contact is created in Cyan.', sample: CONTACT_SAMPLE }),
  hookTrigger({ key: 'new_inbox_order', event: 'inbox.order_received', noun: 'Order', label: 'New Inbox Order', description: 'Triggers when an order arrives in Cyan\'s Inbox.', sample: ITEM_SAMPLE }),
  hookTrigger({ key: 'order_refunded', event: 'sale.refunded', noun: 'Sale', label: 'Order Refunded', description: 'Triggers when a refund is recorded on a sale.', sample: SALE_SAMPLE }),
];

module.exports = { hookTrigger, triggers, verifySignature };
